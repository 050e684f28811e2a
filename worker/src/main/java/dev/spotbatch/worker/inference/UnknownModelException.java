package dev.spotbatch.worker.inference;

/** An item names a model this worker does not have; retrying on this worker will not help. */
public class UnknownModelException extends ModelException {
  public UnknownModelException(String message) {
    super(message);
  }
}
