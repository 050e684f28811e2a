package dev.spotbatch.dispatcher.fleet.scaling;

import java.time.Duration;

/**
 * The work queue as the autoscaler sees it.
 *
 * @param visible items waiting to be leased
 * @param inFlight items leased now; null when the broker cannot tell
 * @param oldestPendingAge how long the oldest waiting item has waited; null when unknown or none
 */
public record QueueSnapshot(long visible, Long inFlight, Duration oldestPendingAge) {
  public static final QueueSnapshot EMPTY = new QueueSnapshot(0, 0L, null);

  public QueueSnapshot {
    if (visible < 0 || (inFlight != null && inFlight < 0)) {
      throw new IllegalArgumentException("queue counts must be >= 0");
    }
  }
}
