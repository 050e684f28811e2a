package dev.spotbatch.worker.item;

import dev.spotbatch.event.FailureCause;
import dev.spotbatch.event.ItemReleased.ReleaseReason;
import dev.spotbatch.event.WorkerEvent;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.queue.EventQueue;
import dev.spotbatch.queue.Lease;
import dev.spotbatch.queue.LeaseLostException;
import dev.spotbatch.queue.WorkSource;
import dev.spotbatch.resilience.Backoff;
import dev.spotbatch.store.ObjectStore;
import dev.spotbatch.store.StoreUri;
import dev.spotbatch.worker.WorkerMetrics;
import dev.spotbatch.worker.lease.AbandonReason;
import dev.spotbatch.worker.lease.ActiveItem;
import dev.spotbatch.worker.lease.ItemOutcome;
import dev.spotbatch.worker.output.PartWriter;
import dev.spotbatch.worker.output.ResultPart;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the work on one lease, and is the only code that does: it commits the item's parts to the
 * object store, publishes the item's event and then completes, re-queues, hands back or rejects the
 * lease on the work queue. Each method returns how the work ended.
 *
 * <p>The order is what makes the effect exactly-once: parts first, then the event, then the lease,
 * and never a commit once the lease is no longer held (checked before and after the parts are
 * written). An interruption (checkpoint, hand-back) never counts as a failure. A failure is retried
 * with the {@link Backoff} until the item's failures are used up, then rejected. Thread-safe.
 */
public final class ItemCommitter {
  private static final Logger log = LoggerFactory.getLogger(ItemCommitter.class);

  /** Whether trying the item again can help. */
  enum Failure {
    /** An unreadable input, a model error, a store or queue outage: try again later. */
    RETRYABLE,
    /** A location outside the allowed roots: final at once. */
    PERMANENT,
    /**
     * The job's model or task chain cannot run: final at once, and the dispatcher ends the job with
     * it ({@link FailureCause#MODEL_UNUSABLE}).
     */
    MODEL_UNUSABLE
  }

  private final WorkSource queue;
  private final EventQueue events;
  private final ObjectStore store;
  private final EventFactory newEvent;
  private final Backoff backoff;
  private final Clock clock;
  private final WorkerMetrics metrics;

  public ItemCommitter(
      WorkSource queue,
      EventQueue events,
      ObjectStore store,
      EventFactory newEvent,
      Backoff backoff,
      Clock clock,
      WorkerMetrics metrics) {
    this.queue = Objects.requireNonNull(queue, "queue");
    this.events = Objects.requireNonNull(events, "events");
    this.store = Objects.requireNonNull(store, "store");
    this.newEvent = Objects.requireNonNull(newEvent, "newEvent");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /**
   * Every record of the lease's range is in {@code writer}: commits the part (and error part),
   * publishes {@code ItemCompleted} and completes the lease. A store or event failure is thrown
   * (the caller fails the item); a lease lost after the event was published is only logged.
   */
  ItemOutcome complete(ActiveItem active, ResultPart writer) {
    WorkItem item = active.lease().item();
    if (!active.holds(clock)) {
      return abandoned(active);
    }
    if (!active.own()) {
      return takenBack(active);
    }
    PartWriter.Committed committed =
        writer.commit(store, output(item), item.partPath(), item.errorPartPath());
    if (!active.holds(clock)) {
      return abandoned(active);
    }
    events.publish(List.of(newEvent.completed(item, active.startedAt(), committed)));
    try {
      queue.complete(active.lease());
    } catch (LeaseLostException e) {
      // the parts and the event are in; a redelivery rewrites the same parts and the dispatcher
      // applies the duplicate event idempotently
      log.warn(
          "item {} committed but its lease was lost before completion: {}",
          item.itemId(),
          e.getMessage());
    }
    log.info(
        "item {} of job {} done: {} records, {} record errors, range {}",
        item.itemId(),
        item.jobId(),
        committed.records(),
        committed.errors(),
        item.range());
    metrics.itemCompleted();
    return ItemOutcome.COMPLETED;
  }

  /**
   * The item was told to stop: checkpoints the records written so far, or hands the lease back if
   * there are none.
   */
  ItemOutcome checkpointOrHandBack(ActiveItem active, ResultPart writer) {
    if (writer.records() + writer.errors() > 0) {
      return checkpoint(active, writer, active.progress(clock).position());
    }
    if (!active.own()) {
      return takenBack(active);
    }
    return handBack(active);
  }

  /**
   * Commits the records written so far as a checkpoint part ending at {@code offset} (a record
   * boundary), publishes {@code ItemCheckpointed} and re-queues the remainder as a continuation. A
   * store failure is thrown; if the event or the re-queue fails, the lease is left to expire and
   * the item comes back whole.
   */
  private ItemOutcome checkpoint(ActiveItem active, ResultPart writer, long offset) {
    WorkItem item = active.lease().item();
    if (!active.holds(clock)) {
      return abandoned(active);
    }
    PartWriter.Committed committed =
        writer.commit(store, output(item), item.partPath(offset), item.errorPartPath(offset));
    if (!active.holds(clock)) {
      return abandoned(active);
    }
    WorkItem rest = item.continueFrom(offset);
    try {
      events.publish(List.of(newEvent.checkpointed(item, active.startedAt(), committed, rest)));
      queue.requeue(active.lease(), rest, Duration.ZERO);
    } catch (LeaseLostException e) {
      // the checkpoint part and its event are in; whoever holds the item now redoes some records
      // and the manifest picks parts that tile the range once
      log.warn(
          "item {} checkpointed but its lease was lost before re-queueing: {}",
          item.itemId(),
          e.getMessage());
    } catch (RuntimeException e) {
      // an interruption is never a failure: leave the lease to expire, the item comes back whole
      log.warn(
          "item {} checkpoint could not be reported or re-queued ({}); left to its lease",
          item.itemId(),
          e.toString());
      active.abandon(AbandonReason.SHUTDOWN);
      return ItemOutcome.ABANDONED;
    }
    log.info(
        "item {} of job {} checkpointed at {}: {} records, {} record errors; remainder {} re-queued",
        item.itemId(),
        item.jobId(),
        offset,
        committed.records(),
        committed.errors(),
        rest.range());
    return ItemOutcome.CHECKPOINTED;
  }

  /**
   * Puts the lease's range back as a continuation (an interruption, not a failure). The caller ends
   * the lease: the item thread once it owns it, the drain once it took it back.
   */
  public ItemOutcome handBack(ActiveItem active) {
    WorkItem item = active.lease().item();
    try {
      queue.handBack(active.lease());
      log.info("item {} of job {} handed back unstarted", item.itemId(), item.jobId());
      report(newEvent.released(item, active.startedAt(), ReleaseReason.HANDED_BACK));
      return ItemOutcome.HANDED_BACK;
    } catch (RuntimeException e) {
      log.warn(
          "item {} could not be handed back; it returns when its lease expires: {}",
          item.itemId(),
          e.toString());
      return ItemOutcome.ABANDONED;
    }
  }

  /**
   * The worker starts on the lease: tells the dispatcher the item runs. Best-effort: a lost start
   * only leaves the item counted as pending.
   */
  void started(ActiveItem active) {
    report(newEvent.started(active.lease().item(), active.startedAt()));
  }

  /**
   * The item's job was cancelled: completes the lease with nothing (more) written, so the queue
   * never delivers it again, and tells the dispatcher. A lease no longer held is left to the queue:
   * the next worker to get it sees the job cancelled too.
   */
  ItemOutcome cancelled(ActiveItem active) {
    WorkItem item = active.lease().item();
    if (!active.own()) {
      return takenBack(active);
    }
    metrics.itemCancelled();
    if (!active.holds(clock)) {
      return ItemOutcome.CANCELLED; // the queue delivers it again; that worker drops it too
    }
    try {
      queue.complete(active.lease());
    } catch (RuntimeException e) {
      log.info(
          "item {} of job {} (cancelled) could not be acknowledged; its next worker drops it: {}",
          item.itemId(),
          item.jobId(),
          e.toString());
      return ItemOutcome.CANCELLED;
    }
    report(newEvent.released(item, active.startedAt(), ReleaseReason.JOB_CANCELLED));
    log.info(
        "item {} of job {} dropped: the job is cancelled ({} records were done)",
        item.itemId(),
        item.jobId(),
        active.progress(clock).total());
    return ItemOutcome.CANCELLED;
  }

  /** Publishes an informational event; a failure is logged, never thrown. */
  private void report(WorkerEvent event) {
    try {
      events.publish(List.of(event));
    } catch (RuntimeException e) {
      log.debug("could not publish {}: {}", event.getClass().getSimpleName(), e.toString());
    }
  }

  /**
   * A store or queue outage stopped the work: puts the item back unchanged after the backoff's
   * second delay, without counting a failure (the item is not at fault; it waits out the outage on
   * the queue), and tells the dispatcher it no longer runs. If the queue itself is down, the lease
   * is left to expire and the queue delivers the item again.
   */
  ItemOutcome deferred(ActiveItem active, String reason) {
    WorkItem item = active.lease().item();
    if (!active.holds(clock)) {
      return abandoned(active);
    }
    if (!active.own()) {
      return takenBack(active);
    }
    // twice the first retry's wait: an outage lasts a while, and a shorter wait only cycles items
    // through the queue against an open circuit breaker
    Duration delay = backoff.delay(2);
    try {
      queue.requeue(active.lease(), item, delay);
    } catch (RuntimeException e) {
      log.warn(
          "item {} of job {} hit an outage ({}) and could not be put back ({}); the lease is left"
              + " to expire",
          item.itemId(),
          item.jobId(),
          reason,
          e.toString());
      return ItemOutcome.LEFT_TO_EXPIRE;
    }
    metrics.itemDeferred();
    report(newEvent.released(item, active.startedAt(), ReleaseReason.OUTAGE));
    log.warn(
        "item {} of job {} waits {} for an outage to end (no failure counted): {}",
        item.itemId(),
        item.jobId(),
        delay,
        reason);
    return ItemOutcome.DEFERRED;
  }

  /** The work on the item went wrong: unless the lease is gone, fails it, to be retried. */
  ItemOutcome failed(ActiveItem active, String reason) {
    if (!active.holds(clock)) {
      return abandoned(active);
    }
    if (!active.own()) {
      return takenBack(active);
    }
    return fail(active, reason, Failure.RETRYABLE);
  }

  /** The item may not run here: fails it for good. */
  ItemOutcome refused(ActiveItem active, String reason) {
    if (!active.own()) {
      return takenBack(active);
    }
    return fail(active, reason, Failure.PERMANENT);
  }

  /**
   * The job's model (or its task chain) cannot run: fails the item for good and tells the
   * dispatcher to end the job, so the other items are not tried one by one.
   */
  ItemOutcome modelUnusable(ActiveItem active, String reason) {
    if (!active.own()) {
      return takenBack(active);
    }
    return fail(active, reason, Failure.MODEL_UNUSABLE);
  }

  /**
   * Publishes {@code ItemFailed} and re-queues the item with the backoff's delay, or rejects it
   * when the failure is permanent or the item's failures are used up. If that cannot be done, the
   * lease is left to expire.
   */
  private ItemOutcome fail(ActiveItem active, String reason, Failure failure) {
    Lease lease = active.lease();
    WorkItem item = lease.item();
    WorkItem next = item.afterFailure();
    boolean terminal = failure != Failure.RETRYABLE || next.failuresExhausted();
    FailureCause cause =
        failure == Failure.MODEL_UNUSABLE ? FailureCause.MODEL_UNUSABLE : FailureCause.ITEM;
    try {
      events.publish(
          List.of(
              newEvent.failed(item, active.startedAt(), reason, next.attempts(), terminal, cause)));
      if (terminal) {
        queue.reject(lease);
        metrics.itemFailed();
        log.warn(
            "item {} of job {} failed for good after {} failure(s): {}",
            item.itemId(),
            item.jobId(),
            next.attempts().failures(),
            reason);
        return ItemOutcome.FAILED;
      }
      Duration delay = backoff.delay(next.attempts().failures());
      queue.requeue(lease, next, delay);
      metrics.itemRetried();
      log.warn(
          "item {} of job {} failed (failure {} of {}), retry in {}: {}",
          item.itemId(),
          item.jobId(),
          next.attempts().failures(),
          item.maxAttempts(),
          delay,
          reason);
      return ItemOutcome.RETRYING;
    } catch (RuntimeException e) {
      log.error(
          "item {} of job {} failed ({}) and the failure could not be reported ({}); the lease"
              + " is left to expire",
          item.itemId(),
          item.jobId(),
          reason,
          e.toString());
      return ItemOutcome.LEFT_TO_EXPIRE;
    }
  }

  /**
   * The work stopped locally (abandoned, or the lease deadline passed): nothing is committed, the
   * queue delivers the item again.
   */
  ItemOutcome abandoned(ActiveItem active) {
    WorkItem item = active.lease().item();
    metrics.itemAbandoned();
    log.warn(
        "item {} of job {} abandoned ({}); not committed, the queue will deliver it again",
        item.itemId(),
        item.jobId(),
        active.abandonReason() == null ? "lease deadline passed" : active.abandonReason());
    return ItemOutcome.ABANDONED;
  }

  /** The drain took the lease back and ends it: the item's thread stops without touching it. */
  ItemOutcome takenBack(ActiveItem active) {
    log.debug("item {} taken back by the drain; its thread stops", active.lease().item().itemId());
    return ItemOutcome.HANDED_BACK;
  }

  private static StoreUri output(WorkItem item) {
    return StoreUri.parse(item.outputUri());
  }
}
