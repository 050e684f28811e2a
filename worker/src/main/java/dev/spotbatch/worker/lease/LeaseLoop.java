package dev.spotbatch.worker.lease;

import dev.spotbatch.queue.Lease;
import dev.spotbatch.queue.WorkSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lease loop, written once against {@link WorkSource}: reserve free slots (block for one, take
 * any others), lease at most that many items, give back the unused slots, and hand each lease to a
 * bounded pool of named item threads. A slot comes back when its item's work ends.
 */
public final class LeaseLoop {
  private static final Logger log = LoggerFactory.getLogger(LeaseLoop.class);
  private static final long SLOT_WAIT_MS = 200;

  private final WorkSource queue;
  private final int concurrency;
  private final Duration pollWait;
  private final Duration leaseTime;
  private final Duration errorPause;
  private final ActiveItems items;
  private final Function<ActiveItem, ItemOutcome> processor;
  private final Clock clock;
  private final Slots slots;
  private final ThreadPoolExecutor executor;
  private final List<GivenBack> givenBack = new CopyOnWriteArrayList<>();
  private volatile boolean leasing;
  private Thread thread;

  /**
   * A lease that arrived after leasing stopped and went straight back to the queue.
   *
   * @param jobId the item's job
   * @param itemId the item
   * @param at when it was back on the queue
   */
  public record GivenBack(String jobId, String itemId, Instant at) {}

  public LeaseLoop(
      WorkSource queue,
      int concurrency,
      Duration pollWait,
      Duration leaseTime,
      Duration errorPause,
      ActiveItems items,
      Function<ActiveItem, ItemOutcome> processor,
      Clock clock) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be >= 1");
    }
    this.queue = queue;
    this.concurrency = concurrency;
    this.pollWait = pollWait;
    this.leaseTime = leaseTime;
    this.errorPause = errorPause;
    this.items = items;
    this.processor = processor;
    this.clock = clock;
    this.slots = new Slots(concurrency);
    AtomicInteger n = new AtomicInteger();
    // slots keep at most `concurrency` tasks submitted and not finished; a slot is released just
    // before its thread is free again, so a task may wait briefly in the (bounded) queue
    this.executor =
        new ThreadPoolExecutor(
            concurrency,
            concurrency,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(concurrency),
            r -> {
              Thread t = new Thread(r, "item-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  public synchronized void start() {
    if (thread != null) {
      return;
    }
    leasing = true;
    thread = new Thread(this::run, "lease-loop");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    while (leasing) {
      int reserved;
      try {
        reserved = slots.reserve(SLOT_WAIT_MS);
      } catch (InterruptedException e) {
        break;
      }
      if (reserved == 0) {
        continue;
      }
      if (!leasing) {
        slots.release(reserved);
        break;
      }
      List<Lease> leases;
      try {
        leases = queue.lease(reserved, pollWait, leaseTime);
      } catch (RuntimeException e) {
        slots.release(reserved);
        log.warn("leasing failed, pausing {}: {}", errorPause, e.toString());
        pause();
        continue;
      }
      slots.release(reserved - leases.size());
      for (Lease lease : leases) {
        if (!leasing) {
          giveBack(lease);
          slots.release(1);
          continue;
        }
        ActiveItem active = items.start(lease, clock.instant());
        try {
          executor.execute(
              () -> {
                ItemOutcome outcome = ItemOutcome.LEFT_TO_EXPIRE;
                try {
                  outcome = processor.apply(active);
                } catch (RuntimeException e) {
                  log.error("item {} processing failed unexpectedly", lease.item().itemId(), e);
                } finally {
                  active.threadEnded(outcome, clock.instant());
                  items.remove(active);
                  slots.release(1);
                }
              });
        } catch (RejectedExecutionException e) { // stopping: the pool no longer takes work
          items.remove(active);
          giveBack(lease);
          slots.release(1);
        }
      }
    }
  }

  /**
   * A lease taken after stop was requested: back on the queue at once as a continuation of the same
   * range (an interruption: counts nothing against {@code maxAttempts}).
   */
  private void giveBack(Lease lease) {
    try {
      queue.handBack(lease);
      givenBack.add(new GivenBack(lease.item().jobId(), lease.item().itemId(), clock.instant()));
    } catch (RuntimeException e) {
      log.warn(
          "could not give back item {}; it returns when its lease expires: {}",
          lease.item().itemId(),
          e.toString());
    }
  }

  private void pause() {
    try {
      Thread.sleep(errorPause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      leasing = false;
    }
  }

  /** Stops taking new leases and waits up to {@code wait} for the loop thread to end. */
  public void stopLeasing(Duration wait) {
    leasing = false;
    try {
      queue.stopLeasing();
    } catch (RuntimeException e) {
      log.warn("queue did not stop leasing cleanly: {}", e.toString());
    }
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t == null) {
      return;
    }
    try {
      t.join(Math.max(1, wait.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits up to {@code grace} for running items; true if none are left. */
  public boolean awaitRunning(Duration grace) {
    executor.shutdown();
    try {
      return executor.awaitTermination(Math.max(0, grace.toMillis()), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Leases that arrived after leasing stopped and went straight back to the queue, in order (an
   * item the drain handed back may be among them again: the lease call in flight received it).
   */
  public List<GivenBack> givenBack() {
    return List.copyOf(givenBack);
  }

  /** True while the loop thread is alive (a lease call may be in flight). */
  public boolean isLoopAlive() {
    Thread t;
    synchronized (this) {
      t = thread;
    }
    return t != null && t.isAlive();
  }

  public Duration pollWait() {
    return pollWait;
  }

  public int concurrency() {
    return concurrency;
  }

  public boolean isLeasing() {
    return leasing;
  }
}
