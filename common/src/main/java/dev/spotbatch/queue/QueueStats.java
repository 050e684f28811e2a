package dev.spotbatch.queue;

import java.util.OptionalLong;

/**
 * Approximate depth of a queue, for progress and autoscaling. Where a broker cannot tell waiting
 * items from leased ones (Kafka share groups), {@link #inFlight()} and {@link #visible()} are empty
 * rather than a misleading zero; {@link #queued()} and {@link #total()} are always known.
 *
 * @param queued items on the queue and not delayed: waiting to be leased or leased now
 * @param inFlight how many of {@code queued} are leased now; empty when the broker cannot tell
 * @param delayed items waiting out a retry delay
 */
public record QueueStats(long queued, OptionalLong inFlight, long delayed) {
  public QueueStats {
    if (inFlight == null) {
      throw new NullPointerException("inFlight (use OptionalLong.empty() for unknown)");
    }
    if (queued < 0 || delayed < 0 || inFlight.orElse(0) < 0) {
      throw new IllegalArgumentException(
          "counts must be >= 0: queued="
              + queued
              + " inFlight="
              + inFlight
              + " delayed="
              + delayed);
    }
    if (inFlight.orElse(0) > queued) {
      throw new IllegalArgumentException(
          "inFlight " + inFlight.getAsLong() + " exceeds queued " + queued);
    }
  }

  /** Counts from a broker that tells waiting, leased and delayed items apart (SQS). */
  public static QueueStats of(long visible, long inFlight, long delayed) {
    return new QueueStats(visible + inFlight, OptionalLong.of(inFlight), delayed);
  }

  /**
   * Counts from a broker that knows only how many items are not yet done and not delayed, leased or
   * not (Kafka share groups).
   */
  public static QueueStats withoutInFlight(long queued, long delayed) {
    return new QueueStats(queued, OptionalLong.empty(), delayed);
  }

  /** Items waiting to be leased; empty when the broker cannot tell them from leased ones. */
  public OptionalLong visible() {
    return inFlight.isPresent()
        ? OptionalLong.of(queued - inFlight.getAsLong())
        : OptionalLong.empty();
  }

  /** Everything not done yet: waiting, leased and delayed. */
  public long total() {
    return queued + delayed;
  }
}
