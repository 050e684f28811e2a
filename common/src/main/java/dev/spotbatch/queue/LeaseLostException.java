package dev.spotbatch.queue;

/**
 * The lease is no longer held (it expired, or the broker handed the item to someone else). The
 * holder must stop work on the item and must not commit it.
 */
public class LeaseLostException extends QueueException {
  public LeaseLostException(String message, Throwable cause) {
    super(message, cause);
  }

  public LeaseLostException(String message) {
    super(message);
  }
}
