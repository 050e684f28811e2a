package dev.spotbatch.codec;

/** A message could not be encoded or decoded; the message says why. */
public class CodecException extends RuntimeException {
  public CodecException(String message, Throwable cause) {
    super(message, cause);
  }

  public CodecException(String message) {
    super(message);
  }
}
