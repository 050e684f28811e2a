package dev.spotbatch.dispatcher.fleet;

import dev.spotbatch.dispatcher.job.JobRates;
import dev.spotbatch.event.ItemCheckpointed;
import dev.spotbatch.event.ItemCompleted;
import dev.spotbatch.event.ItemEvent;
import dev.spotbatch.model.InstanceFacts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Measured throughput, from the records of the items workers completed or checkpointed within a
 * recent window:
 *
 * <ul>
 *   <li>per worker: its records over the time it was busy (the union of its items' run times), so a
 *       worker that waits for work does not look slow;
 *   <li>per pool ({@code provider/instanceType/zone/lifecycle}): the last busy rate measured of a
 *       worker of that pool, kept after the worker left so the next job starts from it;
 *   <li>per job: its records over the window (or since its first item started, if later): the
 *       fleet's current speed on it, for its ETA.
 * </ul>
 *
 * Fed by the event applier with each newly applied item event. Thread-safe.
 */
public final class Throughput implements JobRates {
  private record Run(Instant startedAt, Instant at, long records) {}

  private final Clock clock;
  private final Duration window;
  private final Map<String, Deque<Run>> byWorker = new HashMap<>();
  private final Map<String, Deque<Run>> byJob = new HashMap<>();
  private final Map<String, Double> byPool = new HashMap<>();

  public Throughput(Clock clock, Duration window) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.window = Objects.requireNonNull(window, "window");
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be > 0");
    }
  }

  /**
   * Takes in one newly applied item event; failures, starts and releases carry no records and are
   * ignored.
   */
  public void record(ItemEvent e) {
    Long records =
        e.matchItem(
            (ItemCompleted c) -> c.recordsSucceeded() + c.recordsFailed(),
            failed -> null,
            (ItemCheckpointed c) ->
                c.part().records() + (c.errorPart() == null ? 0 : c.errorPart().records()),
            started -> null,
            released -> null);
    if (records == null || e.startedAt() == null || e.startedAt().isAfter(e.at())) {
      return;
    }
    Run run = new Run(e.startedAt(), e.at(), records);
    synchronized (this) {
      Instant now = clock.instant();
      add(byWorker, e.workerId(), run, now);
      add(byJob, e.jobId(), run, now);
      busyRate(byWorker.get(e.workerId())).ifPresent(r -> byPool.put(poolKey(e.instance()), r));
    }
  }

  /** A worker's records per second while busy, over the window; empty when not measured. */
  public synchronized OptionalDouble worker(String workerId) {
    Deque<Run> runs = byWorker.get(workerId);
    if (runs == null) {
      return OptionalDouble.empty();
    }
    prune(runs, clock.instant());
    return busyRate(runs);
  }

  /** The last measured busy rate of one worker of this pool; empty when never measured. */
  public synchronized OptionalDouble pool(Pool pool) {
    Double r =
        byPool.get(key(pool.provider(), pool.instanceType(), pool.zone(), pool.lifecycle().name()));
    return r == null ? OptionalDouble.empty() : OptionalDouble.of(r);
  }

  @Override
  public synchronized OptionalDouble recordsPerSecond(String jobId) {
    Deque<Run> runs = byJob.get(jobId);
    Instant now = clock.instant();
    if (runs == null || prune(runs, now)) {
      return OptionalDouble.empty();
    }
    Instant from = now.minus(window);
    Instant first = runs.stream().map(Run::startedAt).min(Comparator.naturalOrder()).orElse(now);
    Instant start = first.isAfter(from) ? first : from;
    double seconds = Duration.between(start, now).toMillis() / 1000.0;
    long records = runs.stream().mapToLong(Run::records).sum();
    return seconds <= 0 || records == 0
        ? OptionalDouble.empty()
        : OptionalDouble.of(records / seconds);
  }

  private void add(Map<String, Deque<Run>> map, String key, Run run, Instant now) {
    Deque<Run> runs = map.computeIfAbsent(key, k -> new ArrayDeque<>());
    runs.addLast(run);
    prune(runs, now);
    // forget keys (workers, jobs) that have been quiet for a window
    map.values().removeIf(d -> d != runs && prune(d, now));
  }

  /** Drops runs that ended before the window; true when none is left. */
  private boolean prune(Deque<Run> runs, Instant now) {
    Instant from = now.minus(window);
    runs.removeIf(r -> r.at().isBefore(from));
    return runs.isEmpty();
  }

  /** Records over the union of the runs' intervals (items run side by side on a worker). */
  private static OptionalDouble busyRate(Deque<Run> runs) {
    if (runs == null || runs.isEmpty()) {
      return OptionalDouble.empty();
    }
    List<Run> sorted = new ArrayList<>(runs);
    sorted.sort(Comparator.comparing(Run::startedAt));
    long busyMillis = 0;
    long records = 0;
    Instant start = null;
    Instant end = null;
    for (Run r : sorted) {
      records += r.records();
      if (end == null || r.startedAt().isAfter(end)) {
        if (end != null) {
          busyMillis += Duration.between(start, end).toMillis();
        }
        start = r.startedAt();
        end = r.at();
      } else if (r.at().isAfter(end)) {
        end = r.at();
      }
    }
    busyMillis += Duration.between(start, end).toMillis();
    return busyMillis <= 0 || records == 0
        ? OptionalDouble.empty()
        : OptionalDouble.of(records * 1000.0 / busyMillis);
  }

  private static String poolKey(InstanceFacts f) {
    return key(f.provider(), f.instanceType(), f.zone(), f.lifecycle().name());
  }

  private static String key(String provider, String type, String zone, String lifecycle) {
    return provider + "/" + type + "/" + zone + "/" + lifecycle;
  }
}
