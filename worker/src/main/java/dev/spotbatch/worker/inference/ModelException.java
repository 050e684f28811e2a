package dev.spotbatch.worker.inference;

/** A model could not be loaded or failed to run a batch. */
public class ModelException extends RuntimeException {
  public ModelException(String message, Throwable cause) {
    super(message, cause);
  }

  public ModelException(String message) {
    super(message);
  }
}
