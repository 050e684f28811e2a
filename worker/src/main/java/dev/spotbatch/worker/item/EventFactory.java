package dev.spotbatch.worker.item;

import dev.spotbatch.event.DrainReport;
import dev.spotbatch.event.FailureCause;
import dev.spotbatch.event.ItemCheckpointed;
import dev.spotbatch.event.ItemCompleted;
import dev.spotbatch.event.ItemFailed;
import dev.spotbatch.event.ItemReleased;
import dev.spotbatch.event.ItemStarted;
import dev.spotbatch.event.LostLease;
import dev.spotbatch.event.PartRef;
import dev.spotbatch.event.WorkerDraining;
import dev.spotbatch.event.WorkerStopped;
import dev.spotbatch.model.Attempts;
import dev.spotbatch.model.ByteRange;
import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.worker.notice.Notice;
import dev.spotbatch.worker.output.PartWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Builds every event this worker publishes: each gets a fresh id, this worker's id and instance
 * facts, and the clock's time as {@code at}. The item's end ({@link ItemCommitter}) and the drain
 * use it. Thread-safe.
 */
public final class EventFactory {
  private final String workerId;
  private final InstanceFacts instance;
  private final Clock clock;
  private final Instant startedAt;
  private final String pool;

  /**
   * @param startedAt when this worker's process started: its machine time runs from there
   * @param pool the pool the fleet launched it into (null: unknown)
   */
  public EventFactory(
      String workerId, InstanceFacts instance, Clock clock, Instant startedAt, String pool) {
    this.workerId = Objects.requireNonNull(workerId, "workerId");
    this.instance = Objects.requireNonNull(instance, "instance");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.startedAt = Objects.requireNonNull(startedAt, "startedAt");
    this.pool = pool;
  }

  /** The lease's whole range is committed as {@code committed}. */
  ItemCompleted completed(WorkItem item, Instant startedAt, PartWriter.Committed committed) {
    ByteRange range = item.range();
    return new ItemCompleted(
        newId(),
        item.jobId(),
        item.itemId(),
        range,
        part(committed, range),
        errorPart(committed, range),
        item.attempts(),
        workerId,
        instance,
        startedAt,
        clock.instant());
  }

  /**
   * The records before {@code rest}'s start are committed as {@code committed}; {@code rest}, the
   * continuation, goes back on the queue.
   */
  ItemCheckpointed checkpointed(
      WorkItem item, Instant startedAt, PartWriter.Committed committed, WorkItem rest) {
    ByteRange done = new ByteRange(item.range().start(), rest.range().start());
    return new ItemCheckpointed(
        newId(),
        item.jobId(),
        item.itemId(),
        part(committed, done),
        errorPart(committed, done),
        rest.range(),
        item.attempts(),
        workerId,
        instance,
        startedAt,
        clock.instant());
  }

  /**
   * An attempt at the item failed.
   *
   * @param attempts the attempts including this failure
   * @param terminal true when the item is final (it will not be tried again)
   * @param cause whether the failure ends the item alone or its whole job
   */
  ItemFailed failed(
      WorkItem item,
      Instant startedAt,
      String reason,
      Attempts attempts,
      boolean terminal,
      FailureCause cause) {
    return new ItemFailed(
        newId(),
        item.jobId(),
        item.itemId(),
        item.range(),
        reason,
        attempts,
        terminal,
        workerId,
        instance,
        startedAt,
        clock.instant(),
        cause);
  }

  /** The worker started processing the lease. */
  ItemStarted started(WorkItem item, Instant startedAt) {
    return new ItemStarted(
        newId(),
        item.jobId(),
        item.itemId(),
        item.range(),
        item.attempts(),
        workerId,
        instance,
        startedAt,
        clock.instant());
  }

  /** The worker gave the lease back with nothing committed. */
  ItemReleased released(WorkItem item, Instant startedAt, ItemReleased.ReleaseReason reason) {
    return new ItemReleased(
        newId(),
        item.jobId(),
        item.itemId(),
        item.range(),
        item.attempts(),
        reason,
        workerId,
        instance,
        startedAt,
        clock.instant());
  }

  /** The worker drains for {@code notice}, to be over before {@code deadline}. */
  public WorkerDraining draining(Notice notice, Instant deadline) {
    return new WorkerDraining(
        newId(),
        workerId,
        instance,
        notice.kind(),
        notice.id(),
        notice.noticeTime(),
        notice.detectedAt(),
        deadline,
        clock.instant());
  }

  /** The worker drained as {@code report} says and is about to exit. */
  public WorkerStopped stopped(DrainReport report) {
    return stopped(report, List.of());
  }

  /**
   * The worker drained as {@code report} says and is about to exit, with its machine time and the
   * leases whose work is lost.
   */
  public WorkerStopped stopped(DrainReport report, List<LostLease> lost) {
    return new WorkerStopped(
        newId(), workerId, instance, report, clock.instant(), startedAt, pool, lost);
  }

  private static PartRef part(PartWriter.Committed committed, ByteRange range) {
    return new PartRef(committed.partPath(), committed.records(), range);
  }

  private static PartRef errorPart(PartWriter.Committed committed, ByteRange range) {
    return committed.errorPath() == null
        ? null
        : new PartRef(committed.errorPath(), committed.errors(), range);
  }

  private static String newId() {
    return UUID.randomUUID().toString();
  }
}
