package dev.spotbatch.queue;

/**
 * Approximate depth of a queue, for progress and autoscaling.
 *
 * @param visible items waiting to be leased
 * @param inFlight items currently leased
 * @param delayed items waiting out a retry delay
 */
public record QueueStats(long visible, long inFlight, long delayed) {
  public long total() {
    return visible + inFlight + delayed;
  }
}
