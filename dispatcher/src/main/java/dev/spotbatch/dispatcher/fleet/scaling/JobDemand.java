package dev.spotbatch.dispatcher.fleet.scaling;

import java.time.Instant;
import java.util.Objects;

/**
 * What one unfinished job still needs.
 *
 * @param jobId the job
 * @param remainingRecords records not yet done (exact for inline input; estimated from the records
 *     per byte seen so far for file input)
 * @param remainingItems items neither succeeded nor failed for good
 * @param deadline when the job must be done; null: none (it drains within the undated target)
 * @param priority higher first when capacity cannot cover every deadline
 */
public record JobDemand(
    String jobId, long remainingRecords, long remainingItems, Instant deadline, int priority) {
  public JobDemand {
    Objects.requireNonNull(jobId, "jobId");
    if (remainingRecords < 0 || remainingItems < 0) {
      throw new IllegalArgumentException(
          "job " + jobId + ": remaining records and items must be >= 0");
    }
  }

  /** True when nothing is left to do. */
  public boolean done() {
    return remainingRecords == 0 && remainingItems == 0;
  }
}
