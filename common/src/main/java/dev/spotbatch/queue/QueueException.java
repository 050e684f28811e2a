package dev.spotbatch.queue;

/** The broker could not be reached or refused a call after the adapter's own retries. */
public class QueueException extends RuntimeException {
  public QueueException(String message, Throwable cause) {
    super(message, cause);
  }

  public QueueException(String message) {
    super(message);
  }
}
