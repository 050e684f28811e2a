package dev.spotbatch.dispatcher.job;

/** The job's input cannot be planned (missing, unreadable); the message says what to fix. */
public class InputProblem extends RuntimeException {
  public InputProblem(String message) {
    super(message);
  }

  public InputProblem(String message, Throwable cause) {
    super(message, cause);
  }
}
