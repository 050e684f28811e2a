package dev.spotbatch.worker.lease;

import dev.spotbatch.queue.Lease;
import java.time.Clock;
import java.util.function.Function;

/** Lets tests outside this package register leases and run them as the lease loop does. */
public final class LeaseTesting {
  private LeaseTesting() {}

  /** Registers a lease as active (leased, its work not started). */
  public static ActiveItem start(ActiveItems items, Lease lease, Clock clock) {
    return items.start(lease, clock.instant());
  }

  /** Works the lease as an item thread of the lease loop does, then ends and removes it. */
  public static ItemOutcome run(
      Function<ActiveItem, ItemOutcome> processor,
      ActiveItems items,
      ActiveItem active,
      Clock clock) {
    ItemOutcome outcome = ItemOutcome.LEFT_TO_EXPIRE;
    try {
      outcome = processor.apply(active);
      return outcome;
    } finally {
      active.threadEnded(outcome, clock.instant());
      items.remove(active);
    }
  }
}
