package dev.spotbatch.queue.kafka;

import dev.spotbatch.codec.CodecException;
import dev.spotbatch.codec.MessageCodec;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.queue.Lease;
import dev.spotbatch.queue.LeaseLostException;
import dev.spotbatch.queue.QueueException;
import dev.spotbatch.queue.QueueStats;
import dev.spotbatch.queue.WorkQueue;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.errors.InvalidRecordStateException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link WorkQueue} on a Kafka share group (KIP-932, Kafka 4.2+), with a real per-record lease.
 *
 * <ul>
 *   <li><b>One share consumer per slot</b> ({@link KafkaOptions#slots()}), each in explicit
 *       acknowledgement mode with {@code share.acquire.mode=record_limit} and {@code
 *       max.poll.records=1}: a slot holds at most one record, so the worker never acquires more
 *       records than it has free slots, and a record's lock is renewed or acknowledged without
 *       touching the others. A consumer is created on its slot's first lease.
 *   <li><b>lease</b> = poll of free slots' consumers; <b>extend</b> moves the lease's own deadline
 *       (the broker's acquisition lock, {@link KafkaOptions#lockDuration()}, is renewed with RENEW
 *       at half its life for as long as the lease lasts); a lease not extended past its deadline is
 *       RELEASEd, so the item is delivered again as after an SQS visibility timeout; a late
 *       acknowledgement after that is a {@link LeaseLostException}.
 *   <li><b>complete</b> = ACCEPT + commit; <b>reject</b> (failed for good) = REJECT;
 *       <b>handBack</b> = RELEASE while the record's delivery count leaves room below the redrive
 *       threshold, else a continuation (so interruptions never dead-letter an item); <b>requeue</b>
 *       = produce the next item, then ACCEPT the old one.
 *   <li><b>Retry delays</b>: Kafka has no per-record delay, so a requeue with a delay produces to
 *       the delay-tier topic of the smallest tier at least that long, with a due time; the {@link
 *       KafkaDelayForwarder} (on the dispatcher) moves it to the work topic when due.
 *   <li><b>Dead letters</b>: a record delivered more than {@link KafkaOptions#maxReceiveCount()}
 *       times (leases lost to crashes) is copied to {@code <work>-dlq} and REJECTed on its next
 *       delivery, like an SQS redrive policy; Kafka itself would only archive it silently at {@code
 *       group.share.delivery.count.limit}, which stays above as a backstop.
 * </ul>
 *
 * <p>Every consumer call happens under its slot's lock (a share consumer is not thread-safe); a
 * keeper thread renews locks, expires leases and collects records fetched after a lease call gave
 * up. Thread-safe.
 */
public final class KafkaShareWorkQueue implements WorkQueue {
  private static final Logger log = LoggerFactory.getLogger(KafkaShareWorkQueue.class);

  /** Header on delay-tier records: when the retry is due, epoch milliseconds. */
  public static final String DUE_HEADER = "spotbatch-due-at";

  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration KEEPER_TICK = Duration.ofMillis(100);
  private static final Duration POLL_CHUNK = Duration.ofMillis(50);
  private static final Duration ORPHAN_TIMEOUT = Duration.ofSeconds(10);

  private final KafkaOptions options;
  private final MessageCodec codec;
  private final Clock clock;
  private final KafkaProducer<String, String> producer;
  private final List<Slot> slots;
  private final Map<String, Slot> byHandle = new ConcurrentHashMap<>();
  private final Thread keeper;
  private final Object adminLock = new Object();
  private Admin admin; // for stats, created on first use
  private volatile boolean closed;
  private volatile boolean leasingStopped;

  public KafkaShareWorkQueue(KafkaOptions options, MessageCodec codec, Clock clock) {
    this.options = Objects.requireNonNull(options, "options");
    this.codec = Objects.requireNonNull(codec, "codec");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.producer = KafkaClients.producer(options, "spotbatch-work-producer");
    List<Slot> list = new ArrayList<>(options.slots());
    for (int i = 0; i < options.slots(); i++) {
      list.add(new Slot(i));
    }
    this.slots = List.copyOf(list);
    if (slots.isEmpty()) {
      keeper = null;
    } else {
      keeper = new Thread(this::keep, "kafka-share-keeper-" + options.workGroup());
      keeper.setDaemon(true);
      keeper.start();
    }
  }

  // --- producing --------------------------------------------------------------------------------

  @Override
  public void send(List<WorkItem> items) {
    List<Future<RecordMetadata>> sent = new ArrayList<>(items.size());
    for (WorkItem item : items) {
      sent.add(
          producer.send(
              new ProducerRecord<>(options.workTopic(), item.itemId(), codec.encode(item))));
    }
    KafkaClients.awaitAll(sent, SEND_TIMEOUT, "send work items to " + options.workTopic());
  }

  /**
   * {@inheritDoc}
   *
   * <p>A delay goes to the smallest delay tier at least that long (capped at the longest). If the
   * old lease was lost meanwhile, {@code next} is already on the queue when the {@link
   * LeaseLostException} comes out (a harmless duplicate).
   */
  @Override
  public void requeue(Lease lease, WorkItem next, Duration delay) {
    if (delay == null || delay.isNegative()) {
      throw new IllegalArgumentException("delay must be >= 0, was " + delay);
    }
    ProducerRecord<String, String> record;
    if (delay.isZero()) {
      record = new ProducerRecord<>(options.workTopic(), next.itemId(), codec.encode(next));
    } else {
      Duration tier = options.tierFor(delay);
      long due = clock.millis() + tier.toMillis();
      RecordHeaders headers = new RecordHeaders();
      headers.add(DUE_HEADER, Long.toString(due).getBytes(StandardCharsets.UTF_8));
      record =
          new ProducerRecord<>(
              options.delayTopic(tier), null, next.itemId(), codec.encode(next), headers);
    }
    // produce first: a crash in between duplicates the item, never loses it
    KafkaClients.awaitAll(List.of(producer.send(record)), SEND_TIMEOUT, "requeue " + next.itemId());
    finish(lease, AcknowledgeType.ACCEPT);
  }

  // --- leasing ----------------------------------------------------------------------------------

  @Override
  public List<Lease> lease(int max, Duration wait, Duration leaseTime) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1, was " + max);
    }
    if (slots.isEmpty()) {
      throw new IllegalStateException(
          "this Kafka work queue has no slots (a producer-only instance); give it slots to lease");
    }
    if (closed) {
      return List.of();
    }
    leasingStopped = false;
    long until = System.nanoTime() + wait.toNanos();
    List<Lease> leases = new ArrayList<>();
    takeBuffered(leases, max, leaseTime);
    if (!leases.isEmpty()) {
      return leases;
    }
    // free slots whose consumer exists poll (a fetch one started may still deliver after this call
    // returns: such a record waits in its slot for the next lease call), and new consumers are
    // added only up to max
    List<Slot> idle = new ArrayList<>();
    List<Slot> fresh = new ArrayList<>();
    for (Slot slot : slots) {
      if (slot.record == null) {
        (slot.consumer != null ? idle : fresh).add(slot);
      }
    }
    for (int i = 0; i < fresh.size() && idle.size() < max; i++) {
      idle.add(fresh.get(i));
    }
    if (idle.isEmpty()) {
      sleepNanos(Math.min(wait.toNanos(), POLL_CHUNK.toNanos()));
      return leases;
    }
    boolean last = false;
    while (!closed && !leasingStopped) {
      long remaining = until - System.nanoTime();
      last = remaining <= 0 || !leases.isEmpty();
      Duration chunk =
          last
              ? Duration.ZERO
              : Duration.ofNanos(
                  Math.min(remaining, Math.max(POLL_CHUNK.toNanos() / idle.size(), 10_000_000L)));
      for (Slot slot : idle) {
        if (leases.size() >= max) {
          break;
        }
        if (!slot.lock.tryLock()) {
          continue;
        }
        try {
          if (slot.record == null) {
            slot.lastLeasePoll = System.nanoTime();
            pollOnce(slot, chunk);
          }
          if (slot.record != null && slot.leaseDeadline == null) {
            leases.add(take(slot, leaseTime));
          }
        } finally {
          slot.lock.unlock();
        }
      }
      if (last) {
        break;
      }
    }
    return leases;
  }

  @Override
  public Lease extend(Lease lease, Duration leaseTime) {
    Slot slot = held(lease);
    slot.lock.lock();
    try {
      checkHeld(slot, lease);
      slot.leaseDeadline = clock.instant().plus(leaseTime);
      return lease.withDeadline(slot.leaseDeadline);
    } finally {
      slot.lock.unlock();
    }
  }

  @Override
  public void complete(Lease lease) {
    finish(lease, AcknowledgeType.ACCEPT);
  }

  /** REJECT: the broker archives the record; it is never delivered again. */
  @Override
  public void reject(Lease lease) {
    finish(lease, AcknowledgeType.REJECT);
  }

  /**
   * RELEASE (the record is available again at once) while its next delivery stays within {@link
   * KafkaOptions#maxReceiveCount()}; past that, a continuation of the whole range, which starts
   * with a fresh delivery count.
   */
  @Override
  public void handBack(Lease lease) {
    if (lease.deliveries() + 1 <= options.maxReceiveCount()) {
      finish(lease, AcknowledgeType.RELEASE);
    } else {
      WorkQueue.super.handBack(lease);
    }
  }

  /**
   * Ends a waiting lease call, gives back records fetched that no lease has taken yet, and closes
   * the consumers of free slots, in the background: a share group member that stops polling keeps
   * its assigned partitions (exclusively, while partitions are not fewer than members) until its
   * poll interval runs out, starving them. A later lease call creates them again.
   */
  @Override
  public void stopLeasing() {
    leasingStopped = true;
    for (Slot slot : slots) {
      slot.lock.lock();
      try {
        if (slot.record == null && slot.consumer != null) {
          // collect a record a fetch brought in since the last poll, so it goes back at once
          // rather than when its lock runs out
          try {
            pollOnce(slot, Duration.ZERO);
          } catch (RuntimeException e) {
            log.debug("last poll of slot {}: {}", slot.index, e.toString());
          }
        }
        if (slot.record != null && slot.leaseDeadline == null) {
          giveBackUnleased(slot, "leasing stopped");
        }
        if (slot.record == null && slot.consumer != null) {
          KafkaShareConsumer<String, String> idle = slot.consumer;
          slot.consumer = null;
          Thread closer =
              new Thread(() -> closeQuietly(idle, slot.index), "kafka-share-leave-" + slot.index);
          closer.setDaemon(true);
          closer.start();
        }
      } finally {
        slot.lock.unlock();
      }
    }
  }

  private static void closeQuietly(KafkaShareConsumer<String, String> consumer, int index) {
    try {
      consumer.close(Duration.ofSeconds(5));
    } catch (RuntimeException e) {
      log.debug("closing the idle share consumer of slot {}: {}", index, e.toString());
    }
  }

  // --- statistics -------------------------------------------------------------------------------

  /**
   * From the Admin API: visible = the share group's unacknowledged records on the work topic (Kafka
   * does not tell waiting records from acquired ones, so in-flight records count here and {@code
   * inFlight} is 0); delayed = records in the delay tiers not yet forwarded.
   */
  @Override
  public QueueStats stats() {
    try {
      return KafkaQueueStats.read(admin(), options);
    } catch (KafkaException e) {
      throw new QueueException("reading Kafka queue statistics: " + e, e);
    }
  }

  @Override
  public Duration maxDelay() {
    return options.maxDelay();
  }

  /**
   * Releases whatever is still held (those items come back at once), closes the consumers (which
   * commit pending acknowledgements), the producer and the admin client. Never throws.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (keeper != null) {
      keeper.interrupt();
      try {
        keeper.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    // consumers close in parallel: each leaves the group with a round trip of its own
    List<Thread> closers = new ArrayList<>();
    for (Slot slot : slots) {
      if (slot.consumer == null) {
        continue;
      }
      Thread t = new Thread(() -> closeSlot(slot), "kafka-share-close-" + slot.index);
      t.start();
      closers.add(t);
    }
    for (Thread t : closers) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    try {
      producer.close(Duration.ofSeconds(5));
    } catch (RuntimeException e) {
      log.warn("closing the work producer: {}", e.toString());
    }
    synchronized (adminLock) {
      if (admin != null) {
        try {
          admin.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
          log.warn("closing the admin client: {}", e.toString());
        }
      }
    }
  }

  private void closeSlot(Slot slot) {
    slot.lock.lock();
    try {
      if (slot.record != null) {
        try {
          acknowledge(slot, AcknowledgeType.RELEASE);
        } catch (RuntimeException e) {
          log.debug("releasing {} on close: {}", slot.handle, e.toString());
        }
        byHandle.remove(slot.handle, slot);
        clear(slot);
      }
      if (slot.consumer != null) {
        try {
          slot.consumer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
          log.warn("closing share consumer {}: {}", slot.index, e.toString());
        }
        slot.consumer = null;
      }
    } finally {
      slot.lock.unlock();
    }
  }

  // --- slots ------------------------------------------------------------------------------------

  /** One share consumer and the one record it may hold. Guarded by {@link #lock}. */
  private static final class Slot {
    final int index;
    final ReentrantLock lock = new ReentrantLock();
    KafkaShareConsumer<String, String> consumer;
    ConsumerRecord<String, String> record;
    WorkItem item;
    String handle;

    /** The record was returned by the last poll and not acknowledged since (so it can be now). */
    boolean returned;

    /** Our estimate of when the broker's acquisition lock runs out. */
    Instant lockExpiry;

    /** The lease's deadline; null while the record waits for a lease call to take it. */
    Instant leaseDeadline;

    Instant fetchedAt;

    /** An acknowledgement of the held record failed on the broker (lock lost). */
    volatile boolean lockLost;

    long lastLeasePoll;
    final Map<String, Boolean> failedOffsets = new ConcurrentHashMap<>();

    Slot(int index) {
      this.index = index;
    }
  }

  private KafkaShareConsumer<String, String> consumer(Slot slot) {
    if (slot.consumer == null) {
      Map<String, Object> config = new HashMap<>();
      config.put(ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "record_limit");
      config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
      KafkaShareConsumer<String, String> consumer =
          KafkaClients.shareConsumer(
              options, options.workGroup(), "spotbatch-work-slot-" + slot.index, config);
      consumer.setAcknowledgementCommitCallback(
          (offsets, exception) -> {
            if (exception != null) {
              offsets.forEach(
                  (partition, set) ->
                      set.forEach(
                          offset ->
                              slot.failedOffsets.put(
                                  partition.topic() + ":" + partition.partition() + ":" + offset,
                                  Boolean.TRUE)));
            }
          });
      consumer.subscribe(List.of(options.workTopic()));
      slot.consumer = consumer;
    }
    return slot.consumer;
  }

  /**
   * One poll of a slot's consumer (lock held). Before it, the held record (if it was returned) is
   * renewed, as explicit mode requires every returned record to be acknowledged before the next
   * poll. A record that comes back is the held one (renewed); a new one becomes the slot's record,
   * unleased, unless it is undecodable (REJECT) or was delivered too often (dead letter).
   */
  private void pollOnce(Slot slot, Duration timeout) {
    KafkaShareConsumer<String, String> consumer = consumer(slot);
    if (slot.record != null && slot.returned) {
      consumer.acknowledge(slot.record, AcknowledgeType.RENEW);
      slot.returned = false;
    }
    ConsumerRecords<String, String> records;
    try {
      records = consumer.poll(timeout);
    } catch (KafkaException | IllegalStateException e) {
      throw new QueueException("polling " + options.workTopic() + ": " + e, e);
    }
    boolean terminalAcks = false;
    for (ConsumerRecord<String, String> record : records) {
      if (slot.record != null && sameRecord(slot.record, record)) {
        slot.record = record;
        slot.returned = true;
        slot.lockExpiry = clock.instant().plus(lockTimeout(consumer));
        continue;
      }
      if (slot.record != null) {
        // a slot holds one record; should not happen with record_limit and max.poll.records=1
        consumer.acknowledge(record, AcknowledgeType.RELEASE);
        terminalAcks = true;
        continue;
      }
      int deliveries = record.deliveryCount().map(Short::intValue).orElse(1);
      if (deliveries > options.maxReceiveCount()) {
        deadLetter(consumer, record, deliveries);
        terminalAcks = true;
        continue;
      }
      WorkItem item;
      try {
        item = codec.decodeItem(record.value());
      } catch (CodecException e) {
        log.warn(
            "rejecting undecodable work record {} (delivery {}): {}",
            KafkaClients.handle(record),
            deliveries,
            e.getMessage());
        consumer.acknowledge(record, AcknowledgeType.REJECT);
        terminalAcks = true;
        continue;
      }
      slot.record = record;
      slot.item = item;
      slot.returned = true;
      slot.lockLost = false;
      slot.failedOffsets.clear();
      slot.lockExpiry = clock.instant().plus(lockTimeout(consumer));
      slot.leaseDeadline = null;
      slot.fetchedAt = clock.instant();
      slot.handle = KafkaClients.handle(record) + ":" + deliveries + "@" + slot.index;
    }
    if (terminalAcks) {
      commit(slot, null);
    }
    if (slot.record != null && slot.failedOffsets.containsKey(KafkaClients.handle(slot.record))) {
      slot.lockLost = true;
    }
  }

  private Lease take(Slot slot, Duration leaseTime) {
    slot.leaseDeadline = clock.instant().plus(leaseTime);
    int deliveries = slot.record.deliveryCount().map(Short::intValue).orElse(1);
    byHandle.put(slot.handle, slot);
    return new Lease(slot.item, slot.handle, slot.leaseDeadline, deliveries);
  }

  private void takeBuffered(List<Lease> leases, int max, Duration leaseTime) {
    for (Slot slot : slots) {
      if (leases.size() >= max) {
        return;
      }
      if (slot.record == null || !slot.lock.tryLock()) {
        continue;
      }
      try {
        if (slot.record != null && slot.leaseDeadline == null && !slot.lockLost) {
          leases.add(take(slot, leaseTime));
        }
      } finally {
        slot.lock.unlock();
      }
    }
  }

  private Slot held(Lease lease) {
    Slot slot = byHandle.get(lease.handle());
    if (slot == null) {
      throw new LeaseLostException(
          "lease " + lease.handle() + " on " + lease.item().itemId() + " is no longer held");
    }
    return slot;
  }

  private void checkHeld(Slot slot, Lease lease) {
    if (slot.record == null || !lease.handle().equals(slot.handle) || slot.lockLost) {
      byHandle.remove(lease.handle(), slot);
      throw new LeaseLostException(
          "lease " + lease.handle() + " on " + lease.item().itemId() + " is no longer held");
    }
  }

  /** Acknowledges the leased record with {@code type}, commits, and frees the slot. */
  private void finish(Lease lease, AcknowledgeType type) {
    Slot slot = held(lease);
    slot.lock.lock();
    try {
      checkHeld(slot, lease);
      try {
        acknowledge(slot, type);
      } finally {
        byHandle.remove(lease.handle(), slot);
        clear(slot);
      }
    } finally {
      slot.lock.unlock();
    }
  }

  /**
   * Acknowledges the slot's record (lock held): brings it back first if a renewal is under way,
   * then acknowledges and commits synchronously. A broker that refuses (the lock ran out) makes a
   * {@link LeaseLostException}.
   */
  private void acknowledge(Slot slot, AcknowledgeType type) {
    if (!slot.returned) {
      awaitReturn(slot);
    }
    ConsumerRecord<String, String> record = slot.record;
    slot.consumer.acknowledge(record, type);
    slot.returned = false;
    commit(slot, record);
  }

  /** Polls until a record being renewed is returned again; if it is not, the lock is lost. */
  private void awaitReturn(Slot slot) {
    long until = System.nanoTime() + lockTimeout(slot.consumer).toNanos();
    while (!slot.returned && !slot.lockLost && System.nanoTime() < until) {
      pollOnce(slot, POLL_CHUNK);
    }
    if (!slot.returned) {
      slot.lockLost = true;
      String handle = slot.handle;
      byHandle.remove(handle, slot);
      clear(slot);
      throw new LeaseLostException("the acquisition lock of " + handle + " was lost");
    }
  }

  /**
   * Commits pending acknowledgements of a slot's consumer; if {@code record} is given, a failure on
   * its partition means its lock was lost.
   */
  private void commit(Slot slot, ConsumerRecord<String, String> record) {
    Map<TopicIdPartition, Optional<KafkaException>> result;
    try {
      result = slot.consumer.commitSync(Duration.ofSeconds(10));
    } catch (KafkaException e) {
      throw new QueueException(
          "committing acknowledgements on " + options.workTopic() + ": " + e, e);
    }
    for (Map.Entry<TopicIdPartition, Optional<KafkaException>> e : result.entrySet()) {
      if (e.getValue().isEmpty()) {
        continue;
      }
      KafkaException error = e.getValue().get();
      boolean ours =
          record != null
              && e.getKey().topic().equals(record.topic())
              && e.getKey().partition() == record.partition();
      if (ours && error instanceof InvalidRecordStateException) {
        throw new LeaseLostException(
            "the broker refused the acknowledgement of "
                + KafkaClients.handle(record)
                + " (its acquisition lock ran out): "
                + error.getMessage(),
            error);
      }
      if (ours) {
        throw new QueueException(
            "acknowledging " + KafkaClients.handle(record) + " failed: " + error, error);
      }
      log.warn("an acknowledgement on {} failed: {}", e.getKey(), error.toString());
    }
  }

  private void clear(Slot slot) {
    slot.record = null;
    slot.item = null;
    slot.handle = null;
    slot.returned = false;
    slot.lockExpiry = null;
    slot.leaseDeadline = null;
    slot.fetchedAt = null;
    slot.failedOffsets.clear();
  }

  /** Copies a record delivered too often to the dead-letter topic, then REJECTs it. */
  private void deadLetter(
      KafkaShareConsumer<String, String> consumer,
      ConsumerRecord<String, String> record,
      int deliveries) {
    RecordHeaders headers = new RecordHeaders();
    headers.add("spotbatch-source", KafkaClients.handle(record).getBytes(StandardCharsets.UTF_8));
    headers.add(
        "spotbatch-deliveries", Integer.toString(deliveries).getBytes(StandardCharsets.UTF_8));
    try {
      KafkaClients.awaitAll(
          List.of(
              producer.send(
                  new ProducerRecord<>(
                      options.deadLetterTopic(), null, record.key(), record.value(), headers))),
          SEND_TIMEOUT,
          "dead-letter " + KafkaClients.handle(record));
    } catch (QueueException e) {
      // not copied: leave it to its lock, it comes back and we try again
      log.warn("could not dead-letter {}: {}", KafkaClients.handle(record), e.getMessage());
      consumer.acknowledge(record, AcknowledgeType.RELEASE);
      return;
    }
    consumer.acknowledge(record, AcknowledgeType.REJECT);
    log.warn(
        "work record {} was delivered {} times without being completed (limit {}): moved to {}",
        KafkaClients.handle(record),
        deliveries,
        options.maxReceiveCount(),
        options.deadLetterTopic());
  }

  /**
   * Gives back a record no lease took (lock held): RELEASE while its delivery count leaves room,
   * else a fresh copy (a continuation of the same item) and ACCEPT.
   */
  private void giveBackUnleased(Slot slot, String why) {
    int deliveries = slot.record.deliveryCount().map(Short::intValue).orElse(1);
    try {
      if (deliveries + 1 <= options.maxReceiveCount()) {
        acknowledge(slot, AcknowledgeType.RELEASE);
      } else {
        WorkItem item = slot.item;
        KafkaClients.awaitAll(
            List.of(
                producer.send(
                    new ProducerRecord<>(
                        options.workTopic(),
                        item.itemId(),
                        codec.encode(item.continueFrom(item.range().start()))))),
            SEND_TIMEOUT,
            "give back " + item.itemId());
        acknowledge(slot, AcknowledgeType.ACCEPT);
      }
      log.debug("gave back {} unleased: {}", slot.handle, why);
    } catch (RuntimeException e) {
      log.debug("giving back {} ({}): {}", slot.handle, why, e.toString());
    } finally {
      clear(slot);
    }
  }

  // --- the keeper -------------------------------------------------------------------------------

  private void keep() {
    while (!closed) {
      try {
        TimeUnit.NANOSECONDS.sleep(KEEPER_TICK.toNanos());
      } catch (InterruptedException e) {
        return;
      }
      for (Slot slot : slots) {
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
  }

  /** One look at a slot (lock held): expire, renew, collect. */
  private void tend(Slot slot) {
    if (slot.consumer == null) {
      return;
    }
    Instant now = clock.instant();
    if (slot.record == null) {
      // a fetch that completed after the last lease poll gave up: collect it rather than let its
      // lock run out (which would count a delivery)
      long sinceLeasePoll = System.nanoTime() - slot.lastLeasePoll;
      if (!leasingStopped && sinceLeasePoll < options.lockDuration().toNanos()) {
        pollOnce(slot, Duration.ZERO);
      }
      return;
    }
    if (slot.lockLost) {
      log.warn("the acquisition lock of {} was lost", slot.handle);
      byHandle.remove(slot.handle, slot);
      clear(slot);
      return;
    }
    if (slot.leaseDeadline != null && now.isAfter(slot.leaseDeadline)) {
      String handle = slot.handle;
      byHandle.remove(handle, slot);
      try {
        acknowledge(slot, AcknowledgeType.RELEASE);
        log.info("lease {} ran out without extension: released", handle);
      } catch (RuntimeException e) {
        log.info("lease {} ran out without extension: {}", handle, e.toString());
      } finally {
        clear(slot);
      }
      return;
    }
    if (slot.leaseDeadline == null
        && (leasingStopped
            || Duration.between(slot.fetchedAt, now).compareTo(ORPHAN_TIMEOUT) > 0)) {
      giveBackUnleased(slot, leasingStopped ? "leasing stopped" : "no lease took it");
      return;
    }
    if (!slot.returned) {
      pollOnce(slot, Duration.ZERO);
      return;
    }
    Duration half = lockTimeout(slot.consumer).dividedBy(2);
    if (!now.isBefore(slot.lockExpiry.minus(half))) {
      pollOnce(slot, Duration.ZERO); // RENEW, then the record comes back on a later poll
    }
  }

  // --- helpers ----------------------------------------------------------------------------------

  private Duration lockTimeout(KafkaShareConsumer<String, String> consumer) {
    Optional<Integer> ms = consumer.acquisitionLockTimeoutMs();
    return ms.isPresent() && ms.get() > 0 ? Duration.ofMillis(ms.get()) : options.lockDuration();
  }

  private static boolean sameRecord(ConsumerRecord<?, ?> a, ConsumerRecord<?, ?> b) {
    return a.offset() == b.offset()
        && a.partition() == b.partition()
        && a.topic().equals(b.topic());
  }

  private Admin admin() {
    synchronized (adminLock) {
      if (closed) {
        throw new QueueException("the Kafka work queue is closed");
      }
      if (admin == null) {
        admin = Admin.create(KafkaTopics.clientConfig(options));
      }
      return admin;
    }
  }

  private static void sleepNanos(long nanos) {
    try {
      TimeUnit.NANOSECONDS.sleep(Math.max(0, nanos));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
