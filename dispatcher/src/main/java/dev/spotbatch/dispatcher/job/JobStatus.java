package dev.spotbatch.dispatcher.job;

/** Where a job is in its life. PENDING until its items are on the queue, then RUNNING. */
public enum JobStatus {
  PENDING,
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  public boolean isFinal() {
    switch (this) {
      case SUCCEEDED:
      case FAILED:
      case CANCELLED:
        return true;
      case PENDING:
      case RUNNING:
        return false;
      default:
        throw new IllegalStateException(name());
    }
  }
}
