package dev.spotbatch.queue;

import dev.spotbatch.model.WorkItem;
import java.time.Duration;
import java.util.List;

/**
 * The work queue port: items go in, workers lease them, and every lease ends in exactly one of
 * {@link #complete} or {@link #requeue} (or runs out, and the broker delivers the item again).
 * Item-level retries go back through the queue: an adapter retries only transient broker errors.
 *
 * <p>Adapters are thread-safe unless they say otherwise.
 */
public interface WorkQueue extends AutoCloseable {

  /** Puts items on the queue, visible at once. Batches internally. */
  void send(List<WorkItem> items);

  /**
   * Leases up to {@code max} items, waiting up to {@code wait} for the first one. Never returns
   * more than {@code max}; may return none.
   *
   * @param leaseTime how long each lease lasts unless extended
   */
  List<Lease> lease(int max, Duration wait, Duration leaseTime);

  /**
   * Extends a lease to now + {@code leaseTime}.
   *
   * @return the lease with its new deadline
   * @throws LeaseLostException if the lease is no longer held
   */
  Lease extend(Lease lease, Duration leaseTime);

  /** Ends a lease for good: the item is done. */
  void complete(Lease lease);

  /**
   * Ends a lease by putting {@code next} on the queue in its place, visible after {@code delay}
   * (zero for at once). Used for a retry after a failure ({@code item.afterFailure()}) and for a
   * continuation after an interruption ({@code item.continueFrom(offset)}). The new message is sent
   * before the old lease is completed, so a crash in between duplicates the item (harmless: parts
   * are named deterministically and events are applied idempotently) but never loses it.
   */
  void requeue(Lease lease, WorkItem next, Duration delay);

  /** Approximate queue depth. */
  QueueStats stats();

  /** The longest retry delay this adapter supports (SQS: 15 minutes). */
  Duration maxDelay();

  @Override
  void close();
}
