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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.apache.kafka.common.errors.WakeupException;
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
 *   <li><b>lease</b> = one long poll per free slot, each on a poller thread (a share consumer asks
 *       for more records on every poll call that finds its buffer empty, so short repeated polls
 *       would make it acquire records it then hides); a new record is renewed at once, so its lock
 *       is exact even if it was fetched ahead. <b>extend</b> moves the lease's own deadline (the
 *       broker's acquisition lock, {@link KafkaOptions#lockDuration()}, is renewed with RENEW and a
 *       commit, never a poll that would fetch, at half its life for as long as the lease lasts); a
 *       lease not extended past its deadline is RELEASEd, so the item is delivered again as after
 *       an SQS visibility timeout; a late acknowledgement after that is a {@link
 *       LeaseLostException}.
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
  private static final Duration LONG_POLL = Duration.ofSeconds(5);
  private static final Duration COLLECT_INTERVAL = Duration.ofSeconds(1);

  private final KafkaOptions options;
  private final MessageCodec codec;
  private final Clock clock;
  private final KafkaProducer<String, String> producer;
  private final List<Slot> slots;
  private final Map<String, Slot> byHandle = new ConcurrentHashMap<>();
  private final Thread keeper;
  private final ExecutorService pollers;
  private final LinkedBlockingQueue<Slot> arrivals = new LinkedBlockingQueue<>();
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
    AtomicInteger pollerIds = new AtomicInteger();
    this.pollers =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "kafka-share-poll-" + pollerIds.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
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
    // free slots poll, each with one long poll on a poller thread of its own; new consumers are
    // added only while free slots already polling or about to poll are fewer than max
    int armed = 0;
    List<Slot> chosen = new ArrayList<>();
    List<Slot> fresh = new ArrayList<>();
    for (Slot slot : slots) {
      if (slot.polling.get()) {
        armed++;
      } else if (slot.record == null) {
        (slot.consumer != null ? chosen : fresh).add(slot);
      }
    }
    for (int i = 0; i < fresh.size() && chosen.size() + armed < max; i++) {
      chosen.add(fresh.get(i));
    }
    if (wait.isZero()) {
      for (Slot slot : chosen) {
        pollHere(slot);
      }
      takeBuffered(leases, max, leaseTime);
      return leases;
    }
    for (Slot slot : chosen) {
      startPoller(slot, until);
    }
    while (!closed && !leasingStopped && leases.size() < max) {
      long remaining = until - System.nanoTime();
      if (remaining <= 0) {
        break;
      }
      Slot arrived;
      try {
        arrived = arrivals.poll(remaining, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      if (arrived == null) {
        break;
      }
      takeArrived(arrived, leases, leaseTime);
      if (!leases.isEmpty()) {
        break; // return what has come; slots still polling deliver to a later call
      }
    }
    takeBuffered(leases, max, leaseTime);
    return leases;
  }

  /** One zero-timeout poll of a free slot in the calling thread, for a lease call that waits 0. */
  private void pollHere(Slot slot) {
    if (!slot.lock.tryLock()) {
      return;
    }
    try {
      if (slot.record == null && !closed) {
        slot.lastLeasePoll = System.nanoTime();
        pollOnce(slot, Duration.ZERO);
      }
    } finally {
      slot.lock.unlock();
    }
  }

  /**
   * Polls a free slot on a poller thread until it holds a record or {@code until} passes, with as
   * few poll calls as possible: each poll call that finds the consumer's buffer empty asks its
   * background thread for more records, and one that does so just after a record arrived makes it
   * acquire a second record, which then waits unseen behind the first. Short, repeated polls make
   * that race common; one long poll per lease call makes it rare.
   */
  private void startPoller(Slot slot, long until) {
    if (!slot.polling.compareAndSet(false, true)) {
      return;
    }
    try {
      pollers.execute(
          () -> {
            boolean got = false;
            slot.lock.lock();
            try {
              slot.lastLeasePoll = System.nanoTime();
              while (!closed && !leasingStopped && slot.record == null) {
                long remaining = until - System.nanoTime();
                if (remaining <= 0) {
                  break;
                }
                pollOnce(slot, Duration.ofNanos(Math.min(remaining, LONG_POLL.toNanos())));
                slot.lastLeasePoll = System.nanoTime();
              }
              got = waitingForLease(slot);
            } catch (RuntimeException e) {
              log.warn("polling share consumer {}: {}", slot.index, e.toString());
            } finally {
              slot.polling.set(false);
              slot.lock.unlock();
            }
            if (got) {
              arrivals.offer(slot);
            }
          });
    } catch (RejectedExecutionException e) {
      slot.polling.set(false); // closing
    }
  }

  private void takeArrived(Slot slot, List<Lease> leases, Duration leaseTime) {
    slot.lock.lock();
    try {
      if (waitingForLease(slot)) {
        leases.add(take(slot, leaseTime));
      }
    } finally {
      slot.lock.unlock();
    }
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
    wakePollers();
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

  /** Ends the long polls of free slots; their consumers are closed next, so no wake-up lingers. */
  private void wakePollers() {
    for (Slot slot : slots) {
      KafkaShareConsumer<String, String> consumer = slot.consumer;
      if (slot.polling.get() && consumer != null) {
        consumer.wakeup();
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
    wakePollers();
    pollers.shutdown();
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

    /** When this slot's consumer was last polled (System.nanoTime). */
    long lastPoll;

    /** A poller thread is polling this free slot (and holds its lock meanwhile). */
    final AtomicBoolean polling = new AtomicBoolean();

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
   * One poll of a slot's consumer (lock held), never while the slot's record is held and returned
   * (explicit mode requires it to be acknowledged first: see {@link #renew}). A record that comes
   * back is the held one after a renewal; a new one becomes the slot's record, unleased, unless it
   * is undecodable (REJECT), was delivered too often (dead letter) or its lock has already run out.
   *
   * <p>A new record is renewed at once: a share consumer fetches ahead whenever its buffer is
   * empty, so the record may have been acquired by an earlier fetch and waited in the buffer behind
   * the slot's previous record. The RENEW gives the lease an exact lock, and a record whose lock
   * ran out meanwhile (the broker has made it available again) is dropped instead of leased.
   */
  private void pollOnce(Slot slot, Duration timeout) {
    if (slot.record != null && slot.returned) {
      return;
    }
    KafkaShareConsumer<String, String> consumer = consumer(slot);
    ConsumerRecords<String, String> records;
    try {
      slot.lastPoll = System.nanoTime();
      records = consumer.poll(timeout);
    } catch (WakeupException e) {
      return; // stopLeasing or close
    } catch (KafkaException | IllegalStateException e) {
      throw new QueueException("polling " + options.workTopic() + ": " + e, e);
    }
    boolean fresh = absorb(slot, consumer, records);
    if (fresh) {
      try {
        renew(slot);
      } catch (LeaseLostException e) {
        log.info("dropped {}: fetched ahead, its lock ran out in the buffer", slot.handle);
        clear(slot);
      } catch (QueueException e) {
        // the lock's state is unknown: leave the record to its lock rather than lease it
        log.warn("dropped {}: its first renewal failed: {}", slot.handle, e.getMessage());
        clear(slot);
      }
    }
  }

  /** Takes what a poll returned into the slot (lock held); true if the slot got a new record. */
  private boolean absorb(
      Slot slot,
      KafkaShareConsumer<String, String> consumer,
      ConsumerRecords<String, String> records) {
    boolean terminalAcks = false;
    boolean fresh = false;
    for (ConsumerRecord<String, String> record : records) {
      if (slot.record != null && sameRecord(slot.record, record)) {
        slot.record = record;
        slot.returned = true;
        slot.lockExpiry = clock.instant().plus(lockTimeout(consumer));
        continue;
      }
      if (slot.record != null) {
        // a slot holds one record; should not happen with record_limit and max.poll.records=1
        log.warn(
            "slot {} holding {} was given {} too: released",
            slot.index,
            KafkaClients.handle(slot.record),
            KafkaClients.handle(record));
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
      fresh = true;
    }
    if (terminalAcks) {
      commit(slot, null);
    }
    if (slot.record != null && slot.failedOffsets.containsKey(KafkaClients.handle(slot.record))) {
      slot.lockLost = true;
    }
    return fresh;
  }

  /**
   * Renews the held, returned record's acquisition lock (lock held): RENEW, committed at once, then
   * a poll that returns the renewed record. Renewing through a poll instead would also ask for more
   * records (the consumer fetches while any record is renewing), and a record fetched that way
   * waits in the buffer behind the held one until its lock runs out, counting a delivery each time:
   * a busy worker would churn the queue and push innocent items towards the dead-letter topic.
   *
   * @throws LeaseLostException if the broker refused the renewal (the lock had run out)
   */
  private void renew(Slot slot) {
    KafkaShareConsumer<String, String> consumer = slot.consumer;
    consumer.acknowledge(slot.record, AcknowledgeType.RENEW);
    slot.returned = false;
    try {
      commit(slot, slot.record);
    } catch (LeaseLostException e) {
      slot.lockLost = true;
      throw e;
    }
    // the renewal has completed, so this poll returns the record without fetching
    ConsumerRecords<String, String> records;
    try {
      try {
        records = consumer.poll(Duration.ZERO);
      } catch (WakeupException e) {
        records = consumer.poll(Duration.ZERO); // a stale wake-up, consumed by the throw
      }
    } catch (KafkaException | IllegalStateException e) {
      throw new QueueException("polling " + options.workTopic() + ": " + e, e);
    }
    absorb(slot, consumer, records);
  }

  /** The slot holds a record no lease has taken yet, and its lock is not known lost. */
  private static boolean waitingForLease(Slot slot) {
    return slot.record != null && slot.leaseDeadline == null && !slot.lockLost;
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
        if (waitingForLease(slot)) {
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
      try {
        result = slot.consumer.commitSync(Duration.ofSeconds(10));
      } catch (WakeupException e) {
        // a wake-up meant for a poll that had already ended; the throw consumed it
        result = slot.consumer.commitSync(Duration.ofSeconds(10));
      }
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
      long sincePoll = System.nanoTime() - slot.lastPoll;
      if (!leasingStopped
          && sinceLeasePoll < options.lockDuration().toNanos()
          && sincePoll >= COLLECT_INTERVAL.toNanos()) {
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
      renew(slot);
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
