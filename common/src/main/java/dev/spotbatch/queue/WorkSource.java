package dev.spotbatch.queue;

import dev.spotbatch.model.WorkItem;
import java.time.Duration;
import java.util.List;

/**
 * The worker's end of the work queue: leases items, and ends every lease in exactly one of {@link
 * #complete}, {@link #requeue}, {@link #handBack} or {@link #reject} (or lets it run out, and the
 * broker delivers the item again). Item-level retries go back through the queue: an adapter retries
 * only transient broker errors. Items get on the queue through {@link WorkSubmitter}.
 *
 * <p>Adapters are thread-safe unless they say otherwise.
 */
public interface WorkSource extends AutoCloseable {

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
   * (zero for at once; capped at {@link #maxDelay()}). Used for a retry after a failure ({@code
   * item.afterFailure()}) and for a continuation after an interruption ({@code
   * item.continueFrom(offset)}). The new message is sent before the old lease is completed, so a
   * crash in between duplicates the item (harmless: parts are named deterministically and events
   * are applied idempotently) but never loses it.
   */
  void requeue(Lease lease, WorkItem next, Duration delay);

  /**
   * Gives back a lease whose work has not started (a drain, or a lease that arrived after leasing
   * stopped): an interruption, never a failure, so it must not count against the item's attempts
   * nor push it towards the dead-letter queue. By default a continuation of the whole range ({@code
   * requeue(lease, item.continueFrom(start), 0)}); a broker with a real release (Kafka share
   * groups) may release the record instead while its delivery count leaves room.
   */
  default void handBack(Lease lease) {
    WorkItem item = lease.item();
    requeue(lease, item.continueFrom(item.range().start()), Duration.ZERO);
  }

  /**
   * Ends a lease whose item failed for good (its failure budget is spent and the failure was
   * reported): the item is not delivered again. By default the same as {@link #complete}; a broker
   * that tells the two apart (Kafka: REJECT, which archives the record) does so.
   */
  default void reject(Lease lease) {
    complete(lease);
  }

  /**
   * The caller will not lease again (its worker drains or stops): an adapter that fetched records
   * no lease has taken yet gives them back now, and a lease call still waiting returns early. A
   * later {@link #lease} call starts leasing again. Default: nothing to do.
   */
  default void stopLeasing() {}

  /** The longest retry delay {@link #requeue} supports (SQS: 15 minutes). */
  Duration maxDelay();

  @Override
  void close();
}
