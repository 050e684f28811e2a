package dev.spotbatch.store;

/** The store could not be reached or refused a call after the adapter's own retries. */
public class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public StoreException(String message) {
    super(message);
  }
}
