package dev.spotbatch.dispatcher.job;

/** Where a work item is, as far as the dispatcher knows from events. */
public enum ItemStatus {
  PENDING,
  RUNNING,
  SUCCEEDED,
  FAILED,
  /** Its job was cancelled before it ended: workers acknowledge it without (more) work. */
  CANCELLED;

  public boolean isFinal() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }
}
