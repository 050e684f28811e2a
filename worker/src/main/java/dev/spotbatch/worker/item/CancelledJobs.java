package dev.spotbatch.worker.item;

import dev.spotbatch.model.WorkItem;
import dev.spotbatch.store.CancelMarker;
import dev.spotbatch.store.ObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells whether an item's job was cancelled, from the job's {@link CancelMarker} in the object
 * store. A job seen cancelled stays cancelled; a job seen running is looked up again at most every
 * {@code recheck}, so checking at every chunk costs one small store call per job and interval. A
 * store error counts as "not cancelled" (the work goes on, and its result is simply not used).
 * Thread-safe.
 */
public final class CancelledJobs {
  private static final Logger log = LoggerFactory.getLogger(CancelledJobs.class);

  /** Never cancelled: for tests and tools that have no store to look in. */
  public static final CancelledJobs NONE =
      new CancelledJobs(null, Clock.systemUTC(), Duration.ZERO);

  private final ObjectStore store;
  private final Clock clock;
  private final Duration recheck;
  private final Map<String, Instant> runningUntil = new ConcurrentHashMap<>();
  private final Map<String, Boolean> cancelled = new ConcurrentHashMap<>();

  /**
   * @param recheck how long a "not cancelled" answer is trusted: the longest a worker goes on with
   *     a cancelled job (plus one chunk)
   */
  public CancelledJobs(ObjectStore store, Clock clock, Duration recheck) {
    this.store = store;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.recheck = Objects.requireNonNull(recheck, "recheck");
    if (recheck.isNegative()) {
      throw new IllegalArgumentException("recheck must be >= 0");
    }
  }

  /** True if the item's job was cancelled. */
  public boolean isCancelled(WorkItem item) {
    if (store == null) {
      return false;
    }
    String jobId = item.jobId();
    if (cancelled.containsKey(jobId)) {
      return true;
    }
    Instant now = clock.instant();
    Instant until = runningUntil.get(jobId);
    if (until != null && now.isBefore(until)) {
      return false;
    }
    boolean marked;
    try {
      marked = store.stat(CancelMarker.of(item.outputUri())).isPresent();
    } catch (RuntimeException e) {
      log.debug("cannot look for the cancel marker of job {}: {}", jobId, e.toString());
      marked = false;
    }
    if (marked) {
      cancelled.put(jobId, Boolean.TRUE);
      runningUntil.remove(jobId);
      log.info("job {} is cancelled: its items here stop", jobId);
      return true;
    }
    if (runningUntil.size() > 10_000) {
      runningUntil.clear(); // a long-lived worker sees many jobs; the cache is only a cache
    }
    runningUntil.put(jobId, now.plus(recheck));
    return false;
  }
}
