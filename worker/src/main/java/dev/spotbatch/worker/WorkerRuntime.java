package dev.spotbatch.worker;

import dev.spotbatch.queue.EventQueue;
import dev.spotbatch.queue.WorkSource;
import dev.spotbatch.worker.inference.Batchers;
import dev.spotbatch.worker.inference.EmbeddingModel;
import dev.spotbatch.worker.inference.ModelRegistry;
import dev.spotbatch.worker.lease.AbandonReason;
import dev.spotbatch.worker.lease.ActiveItem;
import dev.spotbatch.worker.lease.ActiveItems;
import dev.spotbatch.worker.lease.Heartbeat;
import dev.spotbatch.worker.lease.LeaseLoop;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running worker: starts the heartbeat and the lease loop, and stops as an ordered chain that
 * never throws: (1) stop leasing; (2) hand back what has not started; (3) finish or checkpoint what
 * runs; (4) flush events and metrics; (5) close clients (heartbeat, batchers, events, queue,
 * models). With a drain attached ({@link #drainWith}) steps 1-4 are the deadline-aware drain with
 * deadline = now + grace; without one, running items get the grace and are then abandoned to their
 * leases. {@link #stopNow()} is the forced variant: stop leasing, abandon everything, close.
 */
public final class WorkerRuntime implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkerRuntime.class);

  /** Steps 1-4 of the stop chain, run within {@code grace}. */
  @FunctionalInterface
  public interface Drain {
    void drainForStop(Duration grace);
  }

  private final LeaseLoop leaseLoop;
  private final Heartbeat heartbeat;
  private final ActiveItems items;
  private final Batchers batchers;
  private final ModelRegistry models;
  private final WorkSource queue;
  private final EventQueue events;
  private final Duration pollWait;
  private final Duration grace;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Drain drain;

  public WorkerRuntime(
      LeaseLoop leaseLoop,
      Heartbeat heartbeat,
      ActiveItems items,
      Batchers batchers,
      ModelRegistry models,
      WorkSource queue,
      EventQueue events,
      Duration pollWait,
      Duration grace) {
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

  /**
   * Makes the graceful stop drain (hand back, finish or checkpoint) instead of wait-and-abandon.
   */
  public void drainWith(Drain drain) {
    this.drain = drain;
  }

  /**
   * Loads each named model and runs it once, before {@link #start()}: a worker that leased items
   * before its model could run would hold them through the load (seconds), and a short termination
   * notice in that window would leave them to their leases. The worker reports ready only after
   * this.
   *
   * @throws dev.spotbatch.worker.inference.UnknownModelException if a name is not registered
   */
  public void preload(List<String> names) {
    for (String name : names) {
      long t0 = System.nanoTime();
      EmbeddingModel model = models.get(name);
      model.embed(List.of("spotbatch warm-up"));
      batchers.forModel(name);
      log.info(
          "model {} loaded and warmed up in {} ms", name, (System.nanoTime() - t0) / 1_000_000);
    }
  }

  public void start() {
    heartbeat.start();
    leaseLoop.start();
    log.info("worker started: concurrency {}", leaseLoop.concurrency());
  }

  public ActiveItems activeItems() {
    return items;
  }

  public Duration grace() {
    return grace;
  }

  /** The graceful stop chain; never throws, runs once (a second call returns at once). */
  public void stop() {
    if (!stopping.compareAndSet(false, true)) {
      return;
    }
    Drain d = drain;
    if (d != null) {
      step("drain", () -> d.drainForStop(grace));
    } else {
      step("stop leasing", () -> leaseLoop.stopLeasing(pollWait.plusSeconds(2)));
      step(
          "wait for running items",
          () -> {
            if (!leaseLoop.awaitRunning(grace)) {
              abandonRunning("still running after the " + grace + " grace");
            }
          });
    }
    closeClients();
  }

  /** The forced stop: stop leasing, abandon what runs (left to its lease), close. Never throws. */
  public void stopNow() {
    stopping.set(true);
    step("stop leasing", () -> leaseLoop.stopLeasing(Duration.ZERO));
    step("abandon running items", () -> abandonRunning("forced stop"));
    closeClients();
  }

  /**
   * The last step of the chain: stop the heartbeat and batchers, close the event channel (publish
   * is synchronous: nothing is buffered), the queue and the models. Runs once; never throws.
   */
  public void closeClients() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    step("stop executor", () -> leaseLoop.awaitRunning(Duration.ofSeconds(1)));
    step("stop heartbeat", heartbeat::close);
    step("stop batchers", () -> batchers.close(Duration.ofSeconds(2)));
    step("close events", events::close);
    step("close queue", queue::close);
    step("close models", models::close);
    log.info("worker stopped");
  }

  private void abandonRunning(String why) {
    for (ActiveItem item : items.snapshot()) {
      item.abandon(AbandonReason.SHUTDOWN);
      log.warn("item {} {}; left to expire", item.lease().item().itemId(), why);
    }
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
