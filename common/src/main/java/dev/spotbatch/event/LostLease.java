package dev.spotbatch.event;

import java.time.Instant;
import java.util.Objects;

/**
 * A lease a stopping worker could neither finish, checkpoint nor hand back unstarted: its work so
 * far is lost and will be done again, so the dispatcher prices it as wasted work of its job.
 *
 * @param startedAt when the worker started the lease's work
 * @param recordsDone the records it processed, all to be processed again
 */
public record LostLease(String jobId, String itemId, Instant startedAt, long recordsDone) {
  public LostLease {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(itemId, "itemId");
  }
}
