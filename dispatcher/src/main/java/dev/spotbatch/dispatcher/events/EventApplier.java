package dev.spotbatch.dispatcher.events;

import dev.spotbatch.dispatcher.cost.MachineLedger;
import dev.spotbatch.dispatcher.cost.WasteKind;
import dev.spotbatch.dispatcher.fleet.DrainReports;
import dev.spotbatch.dispatcher.job.FailureRow;
import dev.spotbatch.dispatcher.job.ItemRow;
import dev.spotbatch.dispatcher.job.ItemStatus;
import dev.spotbatch.dispatcher.job.JobStatus;
import dev.spotbatch.dispatcher.job.JobStore;
import dev.spotbatch.dispatcher.job.ManifestWriter;
import dev.spotbatch.dispatcher.job.PartKind;
import dev.spotbatch.dispatcher.job.UsageRow;
import dev.spotbatch.dispatcher.metrics.FleetEventMetrics;
import dev.spotbatch.event.ItemCheckpointed;
import dev.spotbatch.event.ItemCompleted;
import dev.spotbatch.event.ItemEvent;
import dev.spotbatch.event.ItemFailed;
import dev.spotbatch.event.ItemReleased;
import dev.spotbatch.event.ItemStarted;
import dev.spotbatch.event.PartRef;
import dev.spotbatch.event.WorkerDraining;
import dev.spotbatch.event.WorkerEvent;
import dev.spotbatch.event.WorkerStopped;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies worker events to the job store, idempotently by event id and by item id: a duplicate
 * event, or a late one for an item that is already final, changes nothing. Every new event's
 * machine time is recorded for cost. After a batch, jobs whose items are all final get their
 * manifest. Events for cancelled jobs are recorded but never revive the job.
 *
 * <p>{@code ItemCheckpointed} stores the checkpoint part and its error part with their ranges; the
 * item stays pending (its continuation is on the queue). Parts of an item that already succeeded
 * are still stored (events arrive in any order: a continuation's {@code ItemCompleted} may come
 * before the checkpoint), and the manifest picks the parts that tile each item's range once. {@code
 * WorkerDraining} and {@code WorkerStopped} feed {@link DrainReports}.
 */
public class EventApplier {
  private static final Logger log = LoggerFactory.getLogger(EventApplier.class);

  private final JobStore jobs;
  private final ManifestWriter manifests;
  private final Transactions tx;
  private final MeterRegistry meters;
  private final DrainReports drains;
  private final MachineLedger machines;
  private final Consumer<ItemEvent> applied;

  public EventApplier(
      JobStore jobs, ManifestWriter manifests, Transactions tx, MeterRegistry meters) {
    this(jobs, manifests, tx, meters, new DrainReports());
  }

  public EventApplier(
      JobStore jobs,
      ManifestWriter manifests,
      Transactions tx,
      MeterRegistry meters,
      DrainReports drains) {
    this(jobs, manifests, tx, meters, drains, null);
  }

  /**
   * @param machines where machine time and lost work go (null: not recorded, as in tests of the
   *     item state machine alone)
   */
  public EventApplier(
      JobStore jobs,
      ManifestWriter manifests,
      Transactions tx,
      MeterRegistry meters,
      DrainReports drains,
      MachineLedger machines) {
    this(jobs, manifests, tx, meters, drains, machines, e -> {});
  }

  /**
   * @param machines where machine time and lost work go (null: not recorded)
   * @param applied told of every item event that was applied (not duplicates or ignored ones), e.g.
   *     to measure throughput
   */
  public EventApplier(
      JobStore jobs,
      ManifestWriter manifests,
      Transactions tx,
      MeterRegistry meters,
      DrainReports drains,
      MachineLedger machines,
      Consumer<ItemEvent> applied) {
    this.applied = applied;
    this.jobs = jobs;
    this.manifests = manifests;
    this.tx = tx;
    this.meters = meters;
    this.drains = drains;
    this.machines = machines;
  }

  public DrainReports drainReports() {
    return drains;
  }

  /** Applies a batch in one transaction, then completes the jobs it touched. */
  public void applyAll(List<WorkerEvent> events) {
    tx.inTransaction(
        () -> {
          Set<String> touched = new LinkedHashSet<>();
          for (WorkerEvent e : events) {
            if (apply(e) == Outcome.APPLIED) {
              jobId(e).ifPresent(touched::add);
            }
          }
          for (String jobId : touched) {
            manifests.completeIfDone(jobId);
          }
          return null;
        });
  }

  /** Applies one event (without completing its job). */
  public Outcome apply(WorkerEvent event) {
    return event.match(this::applyItem, this::draining, this::stopped);
  }

  private Outcome draining(WorkerDraining e) {
    drains.apply(e);
    if (machines != null && !e.kind().isAdvisory()) {
      machines.draining(e);
    }
    FleetEventMetrics.draining(meters, e);
    count(e, Outcome.APPLIED);
    return Outcome.APPLIED;
  }

  private Outcome stopped(WorkerStopped e) {
    drains.apply(e);
    if (machines != null) {
      machines.stopped(e);
    }
    FleetEventMetrics.stopped(meters, e);
    count(e, Outcome.APPLIED);
    return Outcome.APPLIED;
  }

  private Outcome applyItem(ItemEvent event) {
    if (jobs.usage().eventApplied(event.eventId())) {
      count(event, Outcome.DUPLICATE);
      return Outcome.DUPLICATE;
    }
    Optional<ItemRow> item = jobs.items().findItem(event.itemId());
    if (item.isEmpty() || !item.get().jobId().equals(event.jobId())) {
      log.warn(
          "event {} names unknown item {} of job {}",
          event.eventId(),
          event.itemId(),
          event.jobId());
      count(event, Outcome.IGNORED);
      return Outcome.IGNORED;
    }
    jobs.usage().insertUsage(usage(event));
    boolean applied =
        event.matchItem(
            this::completed,
            this::failed,
            e -> checkpointed(e, item.get()),
            this::started,
            this::released);
    Outcome outcome = applied ? Outcome.APPLIED : Outcome.IGNORED;
    count(event, outcome);
    if (applied) {
      this.applied.accept(event);
    }
    return outcome;
  }

  private boolean completed(ItemCompleted e) {
    if (!jobs.items()
        .completeItem(
            e.itemId(),
            e.attempts() == null ? 0 : e.attempts().failures(),
            e.attempts() == null ? 0 : e.attempts().interruptions(),
            e.at())) {
      // already final: a duplicate or a late event; a succeeded item still takes new parts (the
      // manifest may need them to tile the item's range, and ignores them if not)
      ItemRow now = jobs.items().findItem(e.itemId()).orElse(null);
      if (now == null || now.status() != ItemStatus.SUCCEEDED || !jobRunning(e.jobId())) {
        return false; // once the manifest is written, its selection stays as it is
      }
      return insertParts(e.jobId(), e.itemId(), e.part(), e.errorPart());
    }
    insertParts(e.jobId(), e.itemId(), e.part(), e.errorPart());
    return true;
  }

  /** A worker started the item: it counts as running until a later event moves it. */
  private boolean started(ItemStarted e) {
    return jobs.itemStates().started(e.itemId(), e.attempts(), e.at());
  }

  /** A worker gave the item back with nothing committed: it is no longer running. */
  private boolean released(ItemReleased e) {
    return jobs.itemStates().released(e.itemId(), e.attempts(), e.at());
  }

  /** Stores the checkpoint's parts; a running item is pending again (its remainder is queued). */
  private boolean checkpointed(ItemCheckpointed e, ItemRow item) {
    if (item.status() == ItemStatus.FAILED
        || item.status() == ItemStatus.CANCELLED
        || (item.status() == ItemStatus.SUCCEEDED && !jobRunning(e.jobId()))) {
      return false; // never listed / the manifest is written and its selection stays as it is
    }
    boolean added = insertParts(e.jobId(), e.itemId(), e.part(), e.errorPart());
    jobs.itemStates().released(e.itemId(), e.attempts(), e.at());
    log.info(
        "item {} of job {} checkpointed: part {} ({} records), remainder {} re-queued by {}",
        e.itemId(),
        e.jobId(),
        e.part().range(),
        e.part().records(),
        e.remaining(),
        e.workerId());
    return added || item.status() != ItemStatus.SUCCEEDED;
  }

  private boolean jobRunning(String jobId) {
    return jobs.findJob(jobId).map(j -> j.status() == JobStatus.RUNNING).orElse(false);
  }

  private boolean insertParts(String jobId, String itemId, PartRef part, PartRef errorPart) {
    boolean added = jobs.items().insertPart(jobId, itemId, PartKind.DATA, part);
    if (errorPart != null) {
      added |= jobs.items().insertPart(jobId, itemId, PartKind.ERROR, errorPart);
    }
    return added;
  }

  private boolean failed(ItemFailed e) {
    jobs.items()
        .insertFailure(
            new FailureRow(
                e.eventId(),
                e.jobId(),
                e.itemId(),
                e.reason(),
                e.attempts().failures(),
                e.terminal(),
                e.workerId(),
                e.at()));
    return jobs.items()
        .failItem(e.itemId(), e.reason(), e.attempts().failures(), e.terminal(), e.at());
  }

  private void count(WorkerEvent e, Outcome outcome) {
    meters
        .counter(
            "spotbatch.events.applied",
            "type",
            e.getClass().getSimpleName(),
            "outcome",
            outcome.name().toLowerCase(Locale.ROOT))
        .increment();
  }

  static UsageRow usage(ItemEvent e) {
    Instant started = e.startedAt();
    double seconds =
        started == null || started.isAfter(e.at())
            ? 0
            : Duration.between(started, e.at()).toMillis() / 1000.0;
    long records =
        e.matchItem(
            c -> c.recordsSucceeded() + c.recordsFailed(),
            f -> 0L,
            c -> c.part().records() + (c.errorPart() == null ? 0 : c.errorPart().records()),
            s -> 0L,
            r -> 0L);
    // a failed attempt's time bought nothing: the item is tried again (or fails for good). A
    // start has no time yet; a release's time is not classed as waste here (not decided with the
    // cost accounting: see issue 10's report)
    WasteKind waste =
        e.matchItem(c -> null, f -> WasteKind.FAILED_ATTEMPT, c -> null, s -> null, r -> null);
    return new UsageRow(
        e.eventId(),
        e.jobId(),
        e.itemId(),
        e.workerId(),
        e.instance(),
        seconds,
        e.at(),
        records,
        waste);
  }

  /** The job an event is about; empty for events about the worker itself. */
  static Optional<String> jobId(WorkerEvent e) {
    return e.match(
        item -> Optional.of(item.jobId()),
        draining -> Optional.empty(),
        stopped -> Optional.empty());
  }
}
