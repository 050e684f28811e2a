package dev.spotbatch.queue.kafka;

import dev.spotbatch.codec.MessageCodec;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.queue.Lease;
import dev.spotbatch.queue.LeaseLostException;
import dev.spotbatch.queue.WorkSource;
import dev.spotbatch.resilience.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ShareConsumer;

/**
 * The worker's {@link WorkSource} on a Kafka share group (KIP-932, Kafka 4.2+), with a real
 * per-record lease.
 *
 * <ul>
 *   <li><b>One share consumer per slot</b> ({@link KafkaOptions#slots()}, a {@link ShareSlot}),
 *       each in explicit acknowledgement mode with {@code share.acquire.mode=record_limit} and
 *       {@code max.poll.records=1}: a slot holds at most one record, so the worker never acquires
 *       more records than it has free slots, and a record's lock is renewed or acknowledged without
 *       touching the others. A consumer is created on its slot's first lease.
 *   <li><b>lease</b> = one long poll per free slot, each on a poller thread ({@link SlotPollers});
 *       a new record is renewed at once, so its lock is exact even if it was fetched ahead.
 *       <b>extend</b> moves the lease's own deadline (the broker's acquisition lock, {@link
 *       KafkaOptions#lockDuration()}, is renewed by the {@link SlotKeeper} with RENEW and a commit,
 *       never a poll that would fetch, at half its life for as long as the lease lasts); a lease
 *       not extended past its deadline is RELEASEd, so the item is delivered again as after an SQS
 *       visibility timeout; a late acknowledgement after that is a {@link LeaseLostException}.
 *   <li><b>complete</b> = ACCEPT + commit; <b>reject</b> (failed for good) = REJECT;
 *       <b>handBack</b> = a continuation (a fresh record), so the delivery count counts only lost
 *       leases and interruptions never push an item towards the dead-letter topic; <b>requeue</b> =
 *       produce the next item, then ACCEPT the old one.
 *   <li><b>Retry delays</b>: Kafka has no per-record delay, so a requeue with a delay produces to
 *       the delay-tier topic of the smallest tier at least that long, with a due time; the {@link
 *       KafkaDelayForwarder} (on the dispatcher) moves it to the work topic when due.
 *   <li><b>Dead letters</b>: a record delivered more than {@link KafkaOptions#maxReceiveCount()}
 *       times (leases lost to crashes) is copied to {@code <work>-dlq} and REJECTed on its next
 *       delivery, like an SQS redrive policy; Kafka itself would only archive it silently at {@code
 *       group.share.delivery.count.limit}, which stays above as a backstop.
 * </ul>
 *
 * <p>Items get on the queue through {@link KafkaWorkSubmitter}. Thread-safe.
 */
public final class KafkaShareWorkQueue implements WorkSource {
  private final KafkaOptions options;
  private final Clock clock;
  private final WorkProducer producer;
  private final List<ShareSlot> slots;
  private final Map<String, ShareSlot> leased = new ConcurrentHashMap<>();
  private final SlotKeeper keeper;
  private final SlotPollers pollers;
  private volatile boolean closed;
  private volatile boolean leasingStopped;

  public KafkaShareWorkQueue(KafkaOptions options, MessageCodec codec, Clock clock) {
    this(
        options,
        clock,
        WorkProducer.create(options, codec, clock, "spotbatch-work-producer"),
        codec,
        index -> shareConsumer(options, index),
        Sleeper.system());
  }

  KafkaShareWorkQueue(
      KafkaOptions options,
      Clock clock,
      WorkProducer producer,
      MessageCodec codec,
      SlotConsumer.Factory consumers,
      Sleeper sleeper) {
    this.options = Objects.requireNonNull(options, "options");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.producer = Objects.requireNonNull(producer, "producer");
    if (options.slots() < 1) {
      producer.close();
      throw new IllegalArgumentException(
          "a Kafka work source needs at least one slot, was "
              + options.slots()
              + " (the dispatcher sends through KafkaWorkSubmitter)");
    }
    ShareSlot.Context context =
        new ShareSlot.Context(options, codec, clock, producer, consumers, leased);
    List<ShareSlot> list = new ArrayList<>(options.slots());
    for (int i = 0; i < options.slots(); i++) {
      list.add(new ShareSlot(i, context));
    }
    this.slots = List.copyOf(list);
    this.pollers = new SlotPollers(clock);
    this.keeper = new SlotKeeper(slots, context, sleeper, () -> leasingStopped);
    keeper.start();
  }

  private static ShareConsumer<String, String> shareConsumer(KafkaOptions options, int index) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "record_limit");
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
    return KafkaClients.shareConsumer(
        options, options.workGroup(), "spotbatch-work-slot-" + index, config);
  }

  @Override
  public List<Lease> lease(int max, Duration wait, Duration leaseTime) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1, was " + max);
    }
    if (closed) {
      return List.of();
    }
    leasingStopped = false;
    Instant until = clock.instant().plus(wait);
    List<Lease> leases = new ArrayList<>();
    takeBuffered(leases, max, leaseTime);
    if (!leases.isEmpty()) {
      return leases;
    }
    // free slots poll, each with one long poll on a poller thread of its own; new consumers are
    // added only while free slots already polling or about to poll are fewer than max
    int armed = 0;
    List<ShareSlot> chosen = new ArrayList<>();
    List<ShareSlot> fresh = new ArrayList<>();
    for (ShareSlot slot : slots) {
      if (slot.polling.get()) {
        armed++;
      } else if (slot.isFree()) {
        (slot.hasConsumer() ? chosen : fresh).add(slot);
      }
    }
    for (int i = 0; i < fresh.size() && chosen.size() + armed < max; i++) {
      chosen.add(fresh.get(i));
    }
    if (wait.isZero()) {
      for (ShareSlot slot : chosen) {
        if (!closed) {
          SlotPollers.pollNow(slot);
        }
      }
      takeBuffered(leases, max, leaseTime);
      return leases;
    }
    for (ShareSlot slot : chosen) {
      pollers.start(slot, until, () -> closed || leasingStopped);
    }
    while (!closed && !leasingStopped && leases.size() < max) {
      Duration remaining = Duration.between(clock.instant(), until);
      if (remaining.isNegative() || remaining.isZero()) {
        break;
      }
      ShareSlot arrived;
      try {
        arrived = pollers.nextArrival(remaining);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      if (arrived == null) {
        break;
      }
      arrived.take(leaseTime, true).ifPresent(leases::add);
      if (!leases.isEmpty()) {
        break; // return what has come; slots still polling deliver to a later call
      }
    }
    takeBuffered(leases, max, leaseTime);
    return leases;
  }

  /** Takes records that slots already hold, without waiting for a slot in use. */
  private void takeBuffered(List<Lease> leases, int max, Duration leaseTime) {
    for (ShareSlot slot : slots) {
      if (leases.size() >= max) {
        return;
      }
      slot.take(leaseTime, false).ifPresent(leases::add);
    }
  }

  @Override
  public Lease extend(Lease lease, Duration leaseTime) {
    return held(lease).extend(lease, leaseTime);
  }

  @Override
  public void complete(Lease lease) {
    held(lease).finish(lease, AcknowledgeType.ACCEPT);
  }

  /** REJECT: the broker archives the record; it is never delivered again. */
  @Override
  public void reject(Lease lease) {
    held(lease).finish(lease, AcknowledgeType.REJECT);
  }

  /**
   * A continuation of the whole range (a fresh record), never a RELEASE: the broker's delivery
   * count must count only lost leases. A RELEASE would add a delivery per hand-back, so an item
   * handed back by a few drains would reach the dead-letter topic after a single lost lease (a
   * chaos run did exactly that: three drains and one SIGKILL dead-lettered an item and failed its
   * job).
   */
  @Override
  public void handBack(Lease lease) {
    WorkSource.super.handBack(lease);
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
    // produce first: a crash in between duplicates the item, never loses it
    producer.sendNext(next, delay);
    held(lease).finish(lease, AcknowledgeType.ACCEPT);
  }

  private ShareSlot held(Lease lease) {
    ShareSlot slot = leased.get(lease.handle());
    if (slot == null) {
      throw new LeaseLostException(
          "lease " + lease.handle() + " on " + lease.item().itemId() + " is no longer held");
    }
    return slot;
  }

  /**
   * Ends a waiting lease call, gives back records fetched that no lease has taken yet, and has the
   * consumers of free slots leave the group (see {@link SlotKeeper#stopLeasing}). A later lease
   * call joins again.
   */
  @Override
  public void stopLeasing() {
    leasingStopped = true;
    pollers.wake(slots);
    slots.forEach(keeper::stopLeasing);
  }

  @Override
  public Duration maxDelay() {
    return options.maxDelay();
  }

  /**
   * Releases whatever is still held (those items come back at once), closes the consumers (which
   * commit pending acknowledgements) and the producer. Never throws.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    pollers.wake(slots);
    pollers.shutdown();
    keeper.close();
    // slots close in parallel: each consumer leaves the group with a round trip of its own
    List<Thread> closers = new ArrayList<>();
    for (ShareSlot slot : slots) {
      if (slot.hasConsumer()) {
        Thread t = new Thread(slot::close, "kafka-share-close-" + slot.index);
        t.start();
        closers.add(t);
      }
    }
    for (Thread t : closers) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    producer.close();
  }
}
