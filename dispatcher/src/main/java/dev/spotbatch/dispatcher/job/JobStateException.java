package dev.spotbatch.dispatcher.job;

/**
 * The job is not in a state that allows the operation (cancel a finished job, retry a running one).
 */
public class JobStateException extends RuntimeException {
  public JobStateException(String message) {
    super(message);
  }
}
