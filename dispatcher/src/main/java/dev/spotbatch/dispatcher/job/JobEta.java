package dev.spotbatch.dispatcher.job;

import java.time.Instant;

/**
 * When a job is expected to finish and whether that meets its deadline.
 *
 * @param eta when it should be done at its measured throughput; its finish time once SUCCEEDED;
 *     null while nothing is measured, or after it FAILED or was CANCELLED
 * @param onTrack true when the ETA (or the finish) is not after the deadline, false when it is or
 *     the deadline has passed; null without a deadline or an ETA
 */
public record JobEta(Instant eta, Boolean onTrack) {
  public static final JobEta UNKNOWN = new JobEta(null, null);
}
