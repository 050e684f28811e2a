package dev.spotbatch.dispatcher.api;

/** A bad query parameter or path value; the message says what to fix. */
class BadRequestException extends RuntimeException {
  private final String field;

  BadRequestException(String field, String message) {
    super(message);
    this.field = field;
  }

  String field() {
    return field;
  }
}
