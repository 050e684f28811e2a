package dev.spotbatch.task;

/** A brought model that cannot be used, with a reason a person can act on. */
public final class ModelProblemException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public ModelProblemException(String message) {
    super(message);
  }

  public ModelProblemException(String message, Throwable cause) {
    super(message, cause);
  }
}
