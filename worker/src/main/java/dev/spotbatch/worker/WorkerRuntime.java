package dev.spotbatch.worker;

import dev.spotbatch.queue.EventQueue;
import dev.spotbatch.queue.WorkQueue;
import dev.spotbatch.worker.inference.Batchers;
import dev.spotbatch.worker.inference.ModelRegistry;
import dev.spotbatch.worker.lease.AbandonReason;
import dev.spotbatch.worker.lease.ActiveItem;
import dev.spotbatch.worker.lease.ActiveItems;
import dev.spotbatch.worker.lease.Heartbeat;
import dev.spotbatch.worker.lease.LeaseLoop;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running worker: starts the heartbeat and the lease loop, and stops as an ordered chain that
 * never throws: stop leasing; wait up to the grace for running items; abandon what is still running
 * (its leases are left to expire; a later drain turns this into checkpoint/re-queue); stop the
 * heartbeat and the batchers; close the event channel, the queue and the models.
 */
public final class WorkerRuntime implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkerRuntime.class);

  private final LeaseLoop leaseLoop;
  private final Heartbeat heartbeat;
  private final ActiveItems items;
  private final Batchers batchers;
  private final ModelRegistry models;
  private final WorkQueue queue;
  private final EventQueue events;
  private final Duration pollWait;
  private final Duration grace;
  private boolean stopped;

  public WorkerRuntime(
      LeaseLoop leaseLoop, Heartbeat heartbeat, ActiveItems items, Batchers batchers,
      ModelRegistry models, WorkQueue queue, EventQueue events, Duration pollWait, Duration grace) {
    this.leaseLoop = leaseLoop;
    this.heartbeat = heartbeat;
    this.items = items;
    this.batchers = batchers;
    this.models = models;
    this.queue = queue;
    this.events = events;
    this.pollWait = pollWait;
    this.grace = grace;
  }

  public void start() {
    heartbeat.start();
    leaseLoop.start();
    log.info("worker started: concurrency {}", leaseLoop.concurrency());
  }

  public ActiveItems activeItems() {
    return items;
  }

  /** The graceful stop chain; never throws, runs once. */
  public synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    step("stop leasing", () -> leaseLoop.stopLeasing(pollWait.plusSeconds(2)));
    step("wait for running items", () -> {
      if (!leaseLoop.awaitRunning(grace)) {
        for (ActiveItem item : items.snapshot()) {
          item.abandon(AbandonReason.SHUTDOWN);
          log.warn("item {} still running after the {} grace; left to expire",
              item.lease().item().itemId(), grace);
        }
      }
    });
    step("stop heartbeat", heartbeat::close);
    step("stop batchers", () -> batchers.close(Duration.ofSeconds(2)));
    step("close events", events::close); // publish is synchronous: nothing is buffered
    step("close queue", queue::close);
    step("close models", models::close);
    log.info("worker stopped");
  }

  private static void step(String name, Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      log.warn("shutdown step '{}' failed: {}", name, e.toString());
    }
  }

  @Override
  public void close() {
    stop();
  }
}
