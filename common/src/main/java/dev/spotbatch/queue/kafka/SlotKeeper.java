package dev.spotbatch.queue.kafka;

import dev.spotbatch.resilience.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks after the slots of one {@link KafkaShareWorkQueue} between lease calls, on a thread of its
 * own ({@link #tick()} drives one round): releases a lease that ran out without extension, drops a
 * record whose lock the broker reported lost, gives back a record no lease took (an orphan, or any
 * unleased record once leasing stopped), renews a held record's lock at half its life, and collects
 * a record a fetch brought in after a lease call stopped polling.
 */
final class SlotKeeper {
  private static final Logger log = LoggerFactory.getLogger(SlotKeeper.class);

  /** How often the keeper looks at every slot. */
  static final Duration TICK = Duration.ofMillis(100);

  /** How long a fetched record may wait for a lease call before it is given back. */
  static final Duration ORPHAN_TIMEOUT = Duration.ofSeconds(10);

  /** How often a free slot that was polled for a lease lately is polled to collect a fetch. */
  static final Duration COLLECT_INTERVAL = Duration.ofSeconds(1);

  private final List<ShareSlot> slots;
  private final KafkaOptions options;
  private final Clock clock;
  private final Sleeper sleeper;
  private final WorkProducer producer;
  private final BooleanSupplier leasingStopped;
  private volatile boolean closed;
  private Thread thread;

  SlotKeeper(
      List<ShareSlot> slots,
      ShareSlot.Context context,
      Sleeper sleeper,
      BooleanSupplier leasingStopped) {
    this.slots = slots;
    this.options = context.options();
    this.clock = context.clock();
    this.producer = context.producer();
    this.sleeper = sleeper;
    this.leasingStopped = leasingStopped;
  }

  /** Starts the keeper thread. */
  synchronized void start() {
    thread = new Thread(this::run, "kafka-share-keeper-" + options.workGroup());
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    while (!closed) {
      try {
        sleeper.sleep(TICK);
      } catch (InterruptedException e) {
        return;
      }
      tick();
    }
  }

  /** One round: each slot that no one else is using at the moment is tended. */
  void tick() {
    for (ShareSlot slot : slots) {
      if (closed || !slot.lock.tryLock()) {
        continue;
      }
      try {
        tend(slot);
      } catch (RuntimeException e) {
        log.warn("share consumer {}: {}", slot.index, e.toString());
      } finally {
        slot.lock.unlock();
      }
    }
  }

  /** One look at a slot (lock held): expire, drop, give back, collect, renew. */
  void tend(ShareSlot slot) {
    if (!slot.hasConsumer()) {
      return;
    }
    Instant now = clock.instant();
    boolean stopped = leasingStopped.getAsBoolean();
    if (slot.isFree()) {
      // a fetch that completed after the last lease poll gave up: collect it rather than let its
      // lock run out (which would count a delivery)
      if (!stopped && slot.mayHoldAnUncollectedFetch(now, COLLECT_INTERVAL)) {
        slot.pollOnce(Duration.ZERO);
      }
      return;
    }
    if (slot.isLockLost()) {
      log.warn("the acquisition lock of {} was lost", slot.handle());
      slot.clear();
      return;
    }
    if (slot.leaseRanOut(now)) {
      releaseExpiredLease(slot);
      return;
    }
    if (slot.isUnleased() && (stopped || slot.fetchedLongerAgoThan(now, ORPHAN_TIMEOUT))) {
      giveBack(slot, stopped ? "leasing stopped" : "no lease took it");
      return;
    }
    if (!slot.isReturned()) {
      slot.pollOnce(Duration.ZERO);
      return;
    }
    if (slot.renewalDue(now)) {
      slot.renew();
    }
  }

  /**
   * Locks the slot. Gives back a record no lease has taken, and has the consumer of a free slot
   * leave the group: a share group member that stops polling keeps its assigned partitions
   * (exclusively, while partitions are not fewer than members) until its poll interval runs out,
   * starving them. The next lease call joins again.
   */
  void stopLeasing(ShareSlot slot) {
    slot.lock.lock();
    try {
      if (slot.isFree() && slot.hasConsumer()) {
        // collect a record a fetch brought in since the last poll, so it goes back at once
        // rather than when its lock runs out
        try {
          slot.pollOnce(Duration.ZERO);
        } catch (RuntimeException e) {
          log.debug("last poll of slot {}: {}", slot.index, e.toString());
        }
      }
      if (!slot.isFree() && slot.isUnleased()) {
        giveBack(slot, "leasing stopped");
      }
      if (slot.isFree()) {
        slot.leaveGroup();
      }
    } finally {
      slot.lock.unlock();
    }
  }

  /**
   * Gives back a record no lease took (lock held): a fresh copy (a continuation of the same item)
   * and ACCEPT, never a RELEASE, so an orphan spends none of the item's lost-lease budget (see
   * {@link KafkaShareWorkQueue#handBack}).
   */
  void giveBack(ShareSlot slot, String why) {
    String handle = slot.handle();
    try {
      producer.sendContinuation(slot.item());
      slot.acknowledge(AcknowledgeType.ACCEPT);
      log.debug("gave back {} unleased: {}", handle, why);
    } catch (RuntimeException e) {
      log.debug("giving back {} ({}): {}", handle, why, e.toString());
    } finally {
      slot.clear();
    }
  }

  /** Releases a lease that ran out without extension (lock held): the item is delivered again. */
  private static void releaseExpiredLease(ShareSlot slot) {
    String handle = slot.handle();
    slot.forgetLease();
    try {
      slot.acknowledge(AcknowledgeType.RELEASE);
      log.info("lease {} ran out without extension: released", handle);
    } catch (RuntimeException e) {
      log.info("lease {} ran out without extension: {}", handle, e.toString());
    } finally {
      slot.clear();
    }
  }

  /** Stops the keeper thread and waits for it a little. */
  void close() {
    Thread t;
    synchronized (this) {
      closed = true;
      t = thread;
    }
    if (t == null) {
      return;
    }
    t.interrupt();
    try {
      t.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
