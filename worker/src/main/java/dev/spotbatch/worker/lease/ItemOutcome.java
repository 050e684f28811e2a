package dev.spotbatch.worker.lease;

/** How the work on one lease ended. */
public enum ItemOutcome {
  /** Parts written, {@code ItemCompleted} published, lease completed. */
  COMPLETED,
  /** {@code ItemFailed(terminal=false)} published and the item re-queued with a backoff. */
  RETRYING,
  /** {@code ItemFailed(terminal=true)} published and the lease completed. */
  FAILED,
  /**
   * Drain: the records done were committed as a checkpoint part, {@code ItemCheckpointed} published
   * and the remainder re-queued as a continuation.
   */
  CHECKPOINTED,
  /** Drain: nothing was processed; the same range went back to the queue as a continuation. */
  HANDED_BACK,
  /**
   * A store or queue outage stopped the work: the item went back unchanged, with a delay; no
   * failure counted.
   */
  DEFERRED,
  /** Its job was cancelled: the lease was completed with nothing (more) written. */
  CANCELLED,
  /** Stopped locally without committing; the broker will deliver the item again. */
  ABANDONED,
  /** Something failed and even the failure could not be reported; the lease is left to expire. */
  LEFT_TO_EXPIRE
}
