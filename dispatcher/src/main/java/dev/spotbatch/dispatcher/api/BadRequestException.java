package dev.spotbatch.dispatcher.api;

/**
 * A bad query parameter or path value; the message says what to fix. {@link ProblemHandler} answers
 * it with a 400 problem naming the field (controllers outside this package throw it too).
 */
public class BadRequestException extends RuntimeException {
  private final String field;

  public BadRequestException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
