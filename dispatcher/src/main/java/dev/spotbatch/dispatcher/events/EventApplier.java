package dev.spotbatch.dispatcher.events;

import dev.spotbatch.dispatcher.cost.MachineLedger;
import dev.spotbatch.dispatcher.cost.WasteKind;
import dev.spotbatch.dispatcher.fleet.DrainReports;
import dev.spotbatch.dispatcher.job.FailureRow;
import dev.spotbatch.dispatcher.job.ItemStatus;
import dev.spotbatch.dispatcher.job.JobStatus;
import dev.spotbatch.dispatcher.job.ManifestWriter;
import dev.spotbatch.dispatcher.job.PartKind;
import dev.spotbatch.dispatcher.job.UsageRow;
import dev.spotbatch.dispatcher.metrics.FleetEventMetrics;
import dev.spotbatch.event.ItemCheckpointed;
import dev.spotbatch.event.ItemCompleted;
import dev.spotbatch.event.ItemEvent;
import dev.spotbatch.event.ItemFailed;
import dev.spotbatch.event.PartRef;
import dev.spotbatch.event.WorkerDraining;
import dev.spotbatch.event.WorkerEvent;
import dev.spotbatch.event.WorkerStopped;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies worker events to the job store, idempotently by event id and by item id: a duplicate
 * event, or a late one for an item that is already final, changes nothing. Every new event's
 * machine time is recorded for cost. After a batch, jobs whose items are all final get their
 * manifest. Events for cancelled jobs are recorded but never revive the job.
 *
 * <p>A batch is applied in one transaction with set-based SQL ({@link EventRows}): it reads the
 * event ids, items, jobs and parts it names once, moves each item in memory through the batch's
 * events in their order ({@link ItemState}), then writes every new row and changed item in one JDBC
 * batch per table. A batch's outcome is the same as applying its events one by one.
 *
 * <p>{@code ItemCheckpointed} stores the checkpoint part and its error part with their ranges; the
 * item stays pending (its continuation is on the queue). Parts of an item that already succeeded
 * are still stored (events arrive in any order: a continuation's {@code ItemCompleted} may come
 * before the checkpoint), and the manifest picks the parts that tile each item's range once. {@code
 * WorkerDraining} and {@code WorkerStopped} feed {@link DrainReports}.
 */
public class EventApplier {
  private static final Logger log = LoggerFactory.getLogger(EventApplier.class);

  private final EventRows rows;
  private final ManifestWriter manifests;
  private final Transactions tx;
  private final MeterRegistry meters;
  private final DrainReports drains;
  private final MachineLedger machines;
  private final Consumer<ItemEvent> applied;

  /**
   * @param db the job store's database
   * @param machines where machine time and lost work go (null: not recorded, as in tests of the
   *     item state machine alone)
   * @param applied told of every item event that was applied (not duplicates or ignored ones) once
   *     its batch is committed, e.g. to measure throughput
   */
  public EventApplier(
      DataSource db,
      ManifestWriter manifests,
      Transactions tx,
      MeterRegistry meters,
      DrainReports drains,
      MachineLedger machines,
      Consumer<ItemEvent> applied) {
    this.rows = new EventRows(db);
    this.manifests = manifests;
    this.tx = tx;
    this.meters = meters;
    this.drains = drains;
    this.machines = machines;
    this.applied = applied;
  }

  public DrainReports drainReports() {
    return drains;
  }

  /** Applies one event as a batch of one (and completes its job if it is done). */
  public Outcome apply(WorkerEvent event) {
    return applyAll(List.of(event)).get(0);
  }

  /**
   * Applies a batch in one transaction, then completes the jobs it touched.
   *
   * @return each event's outcome, in the batch's order
   */
  public List<Outcome> applyAll(List<WorkerEvent> events) {
    List<ItemEvent> done = new ArrayList<>();
    List<Outcome> outcomes = tx.inTransaction(() -> applyInTransaction(events, done));
    Map<String, Map<Outcome, Integer>> tally = new TreeMap<>();
    for (int i = 0; i < events.size(); i++) {
      tally
          .computeIfAbsent(
              events.get(i).getClass().getSimpleName(), t -> new EnumMap<>(Outcome.class))
          .merge(outcomes.get(i), 1, Integer::sum);
    }
    tally.forEach((type, byOutcome) -> byOutcome.forEach((o, n) -> count(type, o, n)));
    done.forEach(applied);
    return outcomes;
  }

  private List<Outcome> applyInTransaction(List<WorkerEvent> events, List<ItemEvent> done) {
    List<Outcome> outcomes = new ArrayList<>(events.size());
    Set<String> touched = new LinkedHashSet<>();
    List<ItemEvent> run = new ArrayList<>();
    // worker events go to the ledger's own tables in order: item events before one are written
    // first, so the ledger sees what the stream said up to it
    for (int i = 0; i <= events.size(); i++) {
      ItemEvent item = i == events.size() ? null : asItem(events.get(i));
      if (item != null) {
        run.add(item);
      } else {
        applyItems(run, outcomes, touched, done);
        run.clear();
        if (i < events.size()) {
          outcomes.add(events.get(i).match(it -> Outcome.IGNORED, this::draining, this::stopped));
        }
      }
    }
    if (!touched.isEmpty()) {
      Set<String> unfinished = rows.withUnfinishedItems(touched);
      for (String jobId : touched) {
        if (!unfinished.contains(jobId)) {
          manifests.completeIfDone(jobId);
        }
      }
    }
    return outcomes;
  }

  private void applyItems(
      List<ItemEvent> events, List<Outcome> outcomes, Set<String> touched, List<ItemEvent> done) {
    if (events.isEmpty()) {
      return;
    }
    Set<String> eventIds = new LinkedHashSet<>();
    Set<String> itemIds = new LinkedHashSet<>();
    Set<String> jobIds = new LinkedHashSet<>();
    Map<String, Set<String>> paths = new HashMap<>();
    for (ItemEvent e : events) {
      eventIds.add(e.eventId());
      itemIds.add(e.itemId());
      jobIds.add(e.jobId());
      for (PartRef p : parts(e)) {
        paths.computeIfAbsent(e.jobId(), j -> new HashSet<>()).add(p.path());
      }
    }
    PendingWrites w =
        new PendingWrites(rows.applied(eventIds), rows.items(itemIds), rows.existingParts(paths));
    // read only when an event meets an item that is already final (rare): the common path of
    // starts and completions never asks whether the job still runs
    Map<String, JobStatus> jobs = new HashMap<>();
    Predicate<String> running =
        jobId -> {
          if (jobs.isEmpty()) {
            jobs.putAll(rows.jobStatuses(jobIds));
          }
          return jobs.get(jobId) == JobStatus.RUNNING;
        };
    for (ItemEvent e : events) {
      Outcome o = applyItem(e, w, running);
      outcomes.add(o);
      if (o == Outcome.APPLIED) {
        done.add(e);
        if (w.item(e.itemId()).status().isFinal()) {
          // only an item that is final now (or took parts while final) can make its job done
          touched.add(e.jobId());
        }
      }
    }
    rows.write(w);
    for (ItemFailed e : w.jobEnders()) {
      manifests.failEarly(e.jobId(), e.itemId(), e.cause(), e.reason());
    }
  }

  private Outcome draining(WorkerDraining e) {
    drains.apply(e);
    if (machines != null && !e.kind().isAdvisory()) {
      ledger(e, () -> machines.draining(e));
    }
    FleetEventMetrics.draining(meters, e);
    return Outcome.APPLIED;
  }

  private Outcome stopped(WorkerStopped e) {
    drains.apply(e);
    if (machines != null) {
      ledger(e, () -> machines.stopped(e));
    }
    FleetEventMetrics.stopped(meters, e);
    return Outcome.APPLIED;
  }

  /**
   * Machine time is bookkeeping: a write that fails (a bug, a value the schema refuses) is rolled
   * back to its savepoint, logged and counted, and never holds the job stream back. (Before V11 a
   * lifecycle notice's kind did not fit its column, and every batch that carried it failed until
   * the broker dropped it, stalling every job's progress.)
   */
  private void ledger(WorkerEvent e, Runnable write) {
    try {
      tx.isolated(write);
    } catch (RuntimeException ex) {
      log.error("machine time from event {} not recorded: {}", e.eventId(), ex.toString());
      meters.counter("spotbatch.events.ledger.failures").increment();
    }
  }

  private Outcome applyItem(ItemEvent event, PendingWrites w, Predicate<String> jobRunning) {
    if (!w.firstSighting(event.eventId())) {
      return Outcome.DUPLICATE;
    }
    ItemState item = w.item(event.itemId());
    if (item == null || !item.jobId.equals(event.jobId())) {
      log.warn(
          "event {} names unknown item {} of job {}",
          event.eventId(),
          event.itemId(),
          event.jobId());
      return Outcome.IGNORED;
    }
    w.usage(usage(event));
    boolean changed =
        event.matchItem(
            e -> completed(e, item, w, jobRunning),
            e -> failed(e, item, w),
            e -> checkpointed(e, item, w, jobRunning),
            e -> item.start(e.attempts(), e.at()),
            e -> item.release(e.attempts(), e.at()));
    return changed ? Outcome.APPLIED : Outcome.IGNORED;
  }

  private boolean completed(
      ItemCompleted e, ItemState item, PendingWrites w, Predicate<String> jobRunning) {
    if (!item.complete(e.attempts(), e.at())) {
      // already final: a duplicate or a late event; a succeeded item still takes new parts (the
      // manifest may need them to tile the item's range, and ignores them if not)
      if (item.status() != ItemStatus.SUCCEEDED || !jobRunning.test(e.jobId())) {
        return false; // once the manifest is written, its selection stays as it is
      }
      return insertParts(w, e.jobId(), e.itemId(), e.part(), e.errorPart());
    }
    insertParts(w, e.jobId(), e.itemId(), e.part(), e.errorPart());
    return true;
  }

  /** Stores the checkpoint's parts; a running item is pending again (its remainder is queued). */
  private boolean checkpointed(
      ItemCheckpointed e, ItemState item, PendingWrites w, Predicate<String> jobRunning) {
    ItemStatus before = item.status();
    if (before == ItemStatus.FAILED
        || before == ItemStatus.CANCELLED
        || (before == ItemStatus.SUCCEEDED && !jobRunning.test(e.jobId()))) {
      return false; // never listed / the manifest is written and its selection stays as it is
    }
    boolean added = insertParts(w, e.jobId(), e.itemId(), e.part(), e.errorPart());
    item.release(e.attempts(), e.at());
    log.info(
        "item {} of job {} checkpointed: part {} ({} records), remainder {} re-queued by {}",
        e.itemId(),
        e.jobId(),
        e.part().range(),
        e.part().records(),
        e.remaining(),
        e.workerId());
    return added || before != ItemStatus.SUCCEEDED;
  }

  private static boolean insertParts(
      PendingWrites w, String jobId, String itemId, PartRef part, PartRef errorPart) {
    boolean added = w.part(jobId, itemId, PartKind.DATA, part);
    if (errorPart != null) {
      added |= w.part(jobId, itemId, PartKind.ERROR, errorPart);
    }
    return added;
  }

  private boolean failed(ItemFailed e, ItemState item, PendingWrites w) {
    w.failure(
        new FailureRow(
            e.eventId(),
            e.jobId(),
            e.itemId(),
            e.reason(),
            e.attempts().failures(),
            e.terminal(),
            e.workerId(),
            e.at()));
    boolean failed = item.fail(e.reason(), e.attempts().failures(), e.terminal(), e.at());
    if (failed && e.terminal() && e.cause().endsJob()) {
      w.endsJob(e); // every other item would fail the same way: end the job once this is written
    }
    return failed;
  }

  /** The parts an event commits (none for starts, releases and failures). */
  private static List<PartRef> parts(ItemEvent e) {
    return e.matchItem(
        c -> c.errorPart() == null ? List.of(c.part()) : List.of(c.part(), c.errorPart()),
        f -> List.of(),
        c -> c.errorPart() == null ? List.of(c.part()) : List.of(c.part(), c.errorPart()),
        s -> List.of(),
        r -> List.of());
  }

  private void count(String type, Outcome outcome, int n) {
    meters
        .counter(
            "spotbatch.events.applied",
            "type",
            type,
            "outcome",
            outcome.name().toLowerCase(Locale.ROOT))
        .increment(n);
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

  /** The event as an item event; null for events about the worker itself. */
  private static ItemEvent asItem(WorkerEvent e) {
    return e.match(item -> item, draining -> null, stopped -> null);
  }
}
