package dev.spotbatch.queue.kafka;

import dev.spotbatch.codec.CodecException;
import dev.spotbatch.codec.MessageCodec;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.queue.Lease;
import dev.spotbatch.queue.LeaseLostException;
import dev.spotbatch.queue.QueueException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One share consumer of {@link KafkaShareWorkQueue} and the one record it may hold. A record is
 * absorbed from a poll and renewed at once; it waits for a lease call to take it; its acquisition
 * lock is renewed (RENEW + commit, then a poll that returns it) for as long as it is held; and it
 * ends in exactly one committed acknowledgement (ACCEPT, RELEASE or REJECT), or is dropped when the
 * broker says its lock was lost. The {@link SlotKeeper} decides when to renew, expire or give back;
 * this class knows how.
 *
 * <p>A share consumer is not thread-safe: every method that touches it runs with {@link #lock}
 * held. Methods marked "locks" take it themselves; all others expect the caller to hold it.
 */
final class ShareSlot {
  private static final Logger log = LoggerFactory.getLogger(ShareSlot.class);

  private static final Duration POLL_CHUNK = Duration.ofMillis(50);

  /**
   * What the slots of one queue share.
   *
   * @param leased the slots whose record a lease has taken, by lease handle
   */
  record Context(
      KafkaOptions options,
      MessageCodec codec,
      Clock clock,
      WorkProducer producer,
      SlotConsumer.Factory consumers,
      Map<String, ShareSlot> leased) {}

  final int index;
  final ReentrantLock lock = new ReentrantLock();

  /** A poller thread is polling this free slot (and holds its lock meanwhile). */
  final AtomicBoolean polling = new AtomicBoolean();

  private final Context context;
  private final KafkaOptions options;
  private final Clock clock;
  private final SlotConsumer consumer;
  private ConsumerRecord<String, String> record;
  private WorkItem item;
  private String handle;

  /** The record was returned by the last poll and not acknowledged since (so it can be now). */
  private boolean returned;

  /** Our estimate of when the broker's acquisition lock runs out. */
  private Instant lockExpiry;

  /** The lease's deadline; null while the record waits for a lease call to take it. */
  private Instant leaseDeadline;

  private Instant fetchedAt;

  /** An acknowledgement of the held record failed on the broker (lock lost). */
  private volatile boolean lockLost;

  /**
   * The held record's lock was lost. After a broker restart (which forgets share sessions) a share
   * consumer was seen to fetch nothing more, ever (Kafka 4.2.1 clients, {@code KafkaOutageIT}), and
   * a lost lock is how the slot sees it; so, as it is rare otherwise, a slot that lost a lock
   * starts a new consumer (a new group member, a new session) once it is free.
   */
  private boolean rejoin;

  private Instant lastLeasePoll;
  private Instant lastPoll;

  ShareSlot(int index, Context context) {
    this.index = index;
    this.context = context;
    this.options = context.options();
    this.clock = context.clock();
    this.consumer = new SlotConsumer(index, options, context.consumers());
  }

  // --- state, for the keeper and the lease orchestration -----------------------------------------

  boolean hasConsumer() {
    return consumer.isOpen();
  }

  boolean isFree() {
    return record == null;
  }

  boolean isLockLost() {
    return lockLost;
  }

  boolean isReturned() {
    return returned;
  }

  String handle() {
    return handle;
  }

  WorkItem item() {
    return item;
  }

  /** How often the broker has delivered the held record (1 on first delivery). */
  int deliveries() {
    return deliveries(record);
  }

  /** Unregisters the lease on the held record, so lease calls on it fail at once. */
  void forgetLease() {
    if (handle != null) {
      context.leased().remove(handle, this);
    }
  }

  /** A lease call polls this slot now (see {@link #mayHoldAnUncollectedFetch}). */
  void markLeasePoll() {
    lastLeasePoll = clock.instant();
  }

  /** Closes the consumer of a free slot in the background; the next poll creates it again. */
  void leaveGroup() {
    consumer.closeInBackground();
  }

  /** The slot holds a record no lease has taken yet, and its lock is not known lost. */
  boolean waitingForLease() {
    return record != null && leaseDeadline == null && !lockLost;
  }

  boolean isUnleased() {
    return leaseDeadline == null;
  }

  boolean leaseRanOut(Instant now) {
    return leaseDeadline != null && now.isAfter(leaseDeadline);
  }

  /** The held record was fetched more than {@code timeout} ago. */
  boolean fetchedLongerAgoThan(Instant now, Duration timeout) {
    return Duration.between(fetchedAt, now).compareTo(timeout) > 0;
  }

  /** Past half the lock's life: time to renew it. */
  boolean renewalDue(Instant now) {
    return !now.isBefore(lockExpiry.minus(consumer.lockTimeout().dividedBy(2)));
  }

  /**
   * A free slot whose consumer was polled for a lease within the lock's duration but not polled at
   * all for {@code interval}: a fetch may have completed since, bringing a record no poll took.
   */
  boolean mayHoldAnUncollectedFetch(Instant now, Duration interval) {
    return lastLeasePoll != null
        && Duration.between(lastLeasePoll, now).compareTo(options.lockDuration()) < 0
        && (lastPoll == null || Duration.between(lastPoll, now).compareTo(interval) >= 0);
  }

  // --- lease orchestration ----------------------------------------------------------------------

  /**
   * Locks ({@code wait}: until free; else only if free at once). Takes the waiting record into a
   * lease lasting {@code leaseTime}; empty if there is none.
   */
  Optional<Lease> take(Duration leaseTime, boolean wait) {
    if (wait) {
      lock.lock();
    } else if (record == null || !lock.tryLock()) {
      return Optional.empty();
    }
    try {
      if (!waitingForLease()) {
        return Optional.empty();
      }
      leaseDeadline = clock.instant().plus(leaseTime);
      context.leased().put(handle, this);
      return Optional.of(new Lease(item, handle, leaseDeadline, deliveries(record)));
    } finally {
      lock.unlock();
    }
  }

  /** Locks. Moves the lease's own deadline; the keeper renews the broker's lock meanwhile. */
  Lease extend(Lease lease, Duration leaseTime) {
    lock.lock();
    try {
      checkHeld(lease);
      leaseDeadline = clock.instant().plus(leaseTime);
      return lease.withDeadline(leaseDeadline);
    } finally {
      lock.unlock();
    }
  }

  /** Locks. Acknowledges the leased record with {@code type}, commits, and frees the slot. */
  void finish(Lease lease, AcknowledgeType type) {
    lock.lock();
    try {
      checkHeld(lease);
      try {
        acknowledge(type);
      } finally {
        context.leased().remove(lease.handle(), this);
        clear();
      }
    } finally {
      lock.unlock();
    }
  }

  private void checkHeld(Lease lease) {
    if (record == null || !lease.handle().equals(handle) || lockLost) {
      context.leased().remove(lease.handle(), this);
      throw new LeaseLostException(
          "lease " + lease.handle() + " on " + lease.item().itemId() + " is no longer held");
    }
  }

  /** Ends the long poll of this free slot, if one runs (stopLeasing or close). */
  void wakeIfPolling() {
    if (polling.get()) {
      consumer.wakeup();
    }
  }

  /** Locks. Releases a held record (it comes back at once) and closes the consumer. */
  void close() {
    lock.lock();
    try {
      if (record != null) {
        try {
          acknowledge(AcknowledgeType.RELEASE);
        } catch (RuntimeException e) {
          log.debug("releasing {} on close: {}", handle, e.toString());
        }
        clear();
      }
      consumer.close();
    } finally {
      lock.unlock();
    }
  }

  // --- transitions, lock held -------------------------------------------------------------------

  /**
   * One poll, never while the record is held and returned (explicit mode requires it to be
   * acknowledged first: see {@link #renew}). A record that comes back is the held one after a
   * renewal; a new one becomes the slot's record, unleased, unless it is undecodable (REJECT), was
   * delivered too often (dead letter) or its lock has already run out.
   *
   * <p>A new record is renewed at once: a share consumer fetches ahead whenever its buffer is
   * empty, so the record may have been acquired by an earlier fetch and waited in the buffer behind
   * the slot's previous record. The RENEW gives the lease an exact lock, and a record whose lock
   * ran out meanwhile (the broker has made it available again) is dropped instead of leased.
   */
  void pollOnce(Duration timeout) {
    if (record != null && returned) {
      return;
    }
    lastPoll = clock.instant();
    if (!absorb(consumer.poll(timeout))) {
      return;
    }
    try {
      renew();
    } catch (LeaseLostException e) {
      log.info("dropped {}: fetched ahead, its lock ran out in the buffer", handle);
      clear();
    } catch (QueueException e) {
      // the lock's state is unknown: leave the record to its lock rather than lease it
      log.warn("dropped {}: its first renewal failed: {}", handle, e.getMessage());
      clear();
    }
  }

  /** Takes what a poll returned into the slot; true if the slot got a new record. */
  private boolean absorb(ConsumerRecords<String, String> records) {
    boolean terminalAcks = false;
    boolean fresh = false;
    for (ConsumerRecord<String, String> next : records) {
      if (record != null && sameRecord(record, next)) {
        record = next;
        returned = true;
        lockExpiry = clock.instant().plus(consumer.lockTimeout());
        continue;
      }
      if (record != null) {
        // a slot holds one record; should not happen with record_limit and max.poll.records=1
        log.warn(
            "slot {} holding {} was given {} too: released",
            index,
            KafkaClients.handle(record),
            KafkaClients.handle(next));
        consumer.acknowledge(next, AcknowledgeType.RELEASE);
        terminalAcks = true;
        continue;
      }
      int deliveries = deliveries(next);
      if (deliveries > options.maxReceiveCount()) {
        deadLetter(next, deliveries);
        terminalAcks = true;
        continue;
      }
      WorkItem decoded;
      try {
        decoded = context.codec().decodeItem(next.value());
      } catch (CodecException e) {
        log.warn(
            "rejecting undecodable work record {} (delivery {}): {}",
            KafkaClients.handle(next),
            deliveries,
            e.getMessage());
        consumer.acknowledge(next, AcknowledgeType.REJECT);
        terminalAcks = true;
        continue;
      }
      record = next;
      item = decoded;
      returned = true;
      lockLost = false;
      consumer.forgetRefusals();
      lockExpiry = clock.instant().plus(consumer.lockTimeout());
      leaseDeadline = null;
      fetchedAt = clock.instant();
      handle = KafkaClients.handle(next) + ":" + deliveries + "@" + index;
      fresh = true;
    }
    if (terminalAcks) {
      consumer.commit(null);
    }
    if (record != null && consumer.refused(record)) {
      noteLockLost();
    }
    return fresh;
  }

  /**
   * Renews the held, returned record's acquisition lock: RENEW, committed at once, then a poll that
   * returns the renewed record. Renewing through a poll instead would also ask for more records
   * (the consumer fetches while any record is renewing), and a record fetched that way waits in the
   * buffer behind the held one until its lock runs out, counting a delivery each time: a busy
   * worker would churn the queue and push innocent items towards the dead-letter topic.
   *
   * @throws LeaseLostException if the broker refused the renewal (the lock had run out)
   */
  void renew() {
    consumer.acknowledge(record, AcknowledgeType.RENEW);
    returned = false;
    try {
      consumer.commit(record);
    } catch (LeaseLostException e) {
      noteLockLost();
      throw e;
    }
    // the renewal has completed, so this poll returns the record without fetching
    absorb(consumer.pollRenewed());
  }

  /**
   * Acknowledges the record: brings it back first if a renewal is under way, then acknowledges and
   * commits synchronously. A broker that refuses (the lock ran out) makes a {@link
   * LeaseLostException}.
   */
  void acknowledge(AcknowledgeType type) {
    if (!returned) {
      awaitReturn();
    }
    ConsumerRecord<String, String> acknowledged = record;
    consumer.acknowledge(acknowledged, type);
    returned = false;
    try {
      consumer.commit(acknowledged);
    } catch (LeaseLostException e) {
      noteLockLost();
      throw e;
    }
  }

  /** The broker refused an acknowledgement of the held record: its lock is gone. */
  private void noteLockLost() {
    lockLost = true;
    rejoin = true;
  }

  /** Polls until a record being renewed is returned again; if it is not, the lock is lost. */
  private void awaitReturn() {
    Instant until = clock.instant().plus(consumer.lockTimeout());
    while (!returned && !lockLost && clock.instant().isBefore(until)) {
      pollOnce(POLL_CHUNK);
    }
    if (!returned) {
      noteLockLost();
      String lost = handle;
      clear();
      throw new LeaseLostException("the acquisition lock of " + lost + " was lost");
    }
  }

  /** Forgets the record, and the lease that held it if any. */
  void clear() {
    if (rejoin) {
      rejoin = false;
      log.warn(
          "share consumer {}: the lock of {} was lost: starting a new consumer (after a broker"
              + " restart, the old one may never fetch again)",
          index,
          handle);
      consumer.closeInBackground();
    }
    forgetLease();
    record = null;
    item = null;
    handle = null;
    returned = false;
    lockExpiry = null;
    leaseDeadline = null;
    fetchedAt = null;
    consumer.forgetRefusals();
  }

  /** Copies a record delivered too often to the dead-letter topic, then REJECTs it. */
  private void deadLetter(ConsumerRecord<String, String> tooOften, int deliveries) {
    try {
      context.producer().copyToDeadLetters(tooOften, deliveries);
    } catch (QueueException e) {
      // not copied: leave it to its lock, it comes back and we try again
      log.warn("could not dead-letter {}: {}", KafkaClients.handle(tooOften), e.getMessage());
      consumer.acknowledge(tooOften, AcknowledgeType.RELEASE);
      return;
    }
    consumer.acknowledge(tooOften, AcknowledgeType.REJECT);
    log.warn(
        "work record {} was delivered {} times without being completed (limit {}): moved to {}",
        KafkaClients.handle(tooOften),
        deliveries,
        options.maxReceiveCount(),
        options.deadLetterTopic());
  }

  // --- helpers ----------------------------------------------------------------------------------

  private static int deliveries(ConsumerRecord<?, ?> r) {
    return r.deliveryCount().map(Short::intValue).orElse(1);
  }

  private static boolean sameRecord(ConsumerRecord<?, ?> a, ConsumerRecord<?, ?> b) {
    return a.offset() == b.offset()
        && a.partition() == b.partition()
        && a.topic().equals(b.topic());
  }
}
