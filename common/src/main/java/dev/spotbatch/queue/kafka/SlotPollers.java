package dev.spotbatch.queue.kafka;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls free slots for a lease call: one long poll per free slot, each on a poller thread of its
 * own, with as few poll calls as possible. Each poll call that finds a share consumer's buffer
 * empty asks its background thread for more records, and one that does so just after a record
 * arrived makes it acquire a second record, which then waits unseen behind the first. Short,
 * repeated polls make that race common; one long poll per lease call makes it rare. A slot that got
 * a record is reported through {@link #nextArrival}.
 */
final class SlotPollers {
  private static final Logger log = LoggerFactory.getLogger(SlotPollers.class);

  /** The longest single poll; a lease call that waits longer polls again. */
  static final Duration LONG_POLL = Duration.ofSeconds(5);

  private final Clock clock;
  private final ExecutorService pollers;
  private final LinkedBlockingQueue<ShareSlot> arrivals = new LinkedBlockingQueue<>();

  SlotPollers(Clock clock) {
    this.clock = clock;
    AtomicInteger ids = new AtomicInteger();
    this.pollers =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "kafka-share-poll-" + ids.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Polls a free slot on a poller thread until it holds a record, {@code until} passes or {@code
   * stop} says so; nothing if a poller already polls it.
   */
  void start(ShareSlot slot, Instant until, BooleanSupplier stop) {
    if (!slot.polling.compareAndSet(false, true)) {
      return;
    }
    try {
      pollers.execute(
          () -> {
            if (pollForLease(slot, until, stop)) {
              arrivals.offer(slot);
            }
          });
    } catch (RejectedExecutionException e) {
      slot.polling.set(false); // closing
    }
  }

  private boolean pollForLease(ShareSlot slot, Instant until, BooleanSupplier stop) {
    slot.lock.lock();
    try {
      slot.markLeasePoll();
      while (!stop.getAsBoolean() && slot.isFree()) {
        Duration remaining = Duration.between(clock.instant(), until);
        if (remaining.isNegative() || remaining.isZero()) {
          break;
        }
        slot.pollOnce(remaining.compareTo(LONG_POLL) < 0 ? remaining : LONG_POLL);
        slot.markLeasePoll();
      }
      return slot.waitingForLease();
    } catch (RuntimeException e) {
      log.warn("polling share consumer {}: {}", slot.index, e.toString());
      return false;
    } finally {
      slot.polling.set(false);
      slot.lock.unlock();
    }
  }

  /** Locks if free at once: one zero-timeout poll of a free slot, for a lease call that waits 0. */
  static void pollNow(ShareSlot slot) {
    if (!slot.lock.tryLock()) {
      return;
    }
    try {
      if (slot.isFree()) {
        slot.markLeasePoll();
        slot.pollOnce(Duration.ZERO);
      }
    } finally {
      slot.lock.unlock();
    }
  }

  /**
   * The next slot a poller found a record for, waiting up to {@code timeout}; null if none came.
   */
  ShareSlot nextArrival(Duration timeout) throws InterruptedException {
    return arrivals.poll(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
  }

  /** Ends the long polls under way; their consumers are closed next, so no wake-up lingers. */
  void wake(List<ShareSlot> slots) {
    slots.forEach(ShareSlot::wakeIfPolling);
  }

  /** Starts no more polls. */
  void shutdown() {
    pollers.shutdown();
  }
}
