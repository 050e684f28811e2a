package dev.spotbatch.worker.lease;

import dev.spotbatch.queue.Lease;
import dev.spotbatch.queue.LeaseLostException;
import dev.spotbatch.queue.WorkSource;
import dev.spotbatch.worker.WorkerMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Extends every active lease each {@code interval} (well before it runs out, e.g. a third of the
 * lease time). A failed extension is tolerated while the lease's deadline has not passed; once it
 * has (or the queue says the lease is lost) the item is abandoned locally, so it is never committed
 * by a worker that no longer holds it. {@link #tick()} is one round, for tests.
 */
public final class Heartbeat implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

  private final WorkSource queue;
  private final ActiveItems items;
  private final Duration leaseTime;
  private final Duration interval;
  private final Clock clock;
  private final WorkerMetrics metrics;
  private ScheduledExecutorService scheduler;

  public Heartbeat(
      WorkSource queue,
      ActiveItems items,
      Duration leaseTime,
      Duration interval,
      Clock clock,
      WorkerMetrics metrics) {
    if (interval.compareTo(leaseTime) >= 0) {
      throw new IllegalArgumentException(
          "heartbeat interval " + interval + " must be shorter than the lease time " + leaseTime);
    }
    this.queue = queue;
    this.items = items;
    this.leaseTime = leaseTime;
    this.interval = interval;
    this.clock = clock;
    this.metrics = metrics;
  }

  public synchronized void start() {
    if (scheduler != null) {
      return;
    }
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "lease-heartbeat");
              t.setDaemon(true);
              return t;
            });
    long ms = interval.toMillis();
    scheduler.scheduleWithFixedDelay(this::tick, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** Extends every active lease once; never throws. */
  public void tick() {
    for (ActiveItem item : items.snapshot()) {
      if (item.isAbandoned() || item.state() == ActiveItem.State.TAKEN_BACK) {
        continue; // a lease the drain took back is no longer ours to extend
      }
      Lease lease = item.lease();
      try {
        item.extended(queue.extend(lease, leaseTime));
      } catch (LeaseLostException e) {
        item.abandon(AbandonReason.LEASE_LOST);
        log.warn(
            "lease on item {} lost: {}; stopping its work", lease.item().itemId(), e.getMessage());
      } catch (RuntimeException e) {
        metrics.heartbeatFailure();
        if (!clock.instant().isBefore(lease.deadline())) {
          item.abandon(AbandonReason.DEADLINE_PASSED);
          log.warn(
              "could not extend the lease on item {} before its deadline {} ({}); stopping its work",
              lease.item().itemId(),
              lease.deadline(),
              e.toString());
        } else {
          log.warn(
              "could not extend the lease on item {} (deadline {}), will retry: {}",
              lease.item().itemId(),
              lease.deadline(),
              e.toString());
        }
      }
    }
  }

  /** Stops extending; running leases then expire. Never throws. */
  @Override
  public synchronized void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
  }
}
