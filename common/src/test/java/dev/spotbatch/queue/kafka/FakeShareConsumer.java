package dev.spotbatch.queue.kafka;

import dev.spotbatch.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.AcknowledgementCommitCallback;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidRecordStateException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.record.TimestampType;

/**
 * A share consumer in explicit acknowledgement mode, on one partition, that does what the broker
 * and the client do to the records a test hands it: a poll returns the next record in its buffer
 * (one at a time, as with {@code max.poll.records=1}) or waits out its timeout on the test's clock;
 * a poll while a returned record is not acknowledged fails, as in explicit mode; a committed RENEW
 * makes the next poll return the record again; a commit of an acknowledgement of a record whose
 * lock the test has declared lost fails with {@link InvalidRecordStateException}. Not thread-safe,
 * like the real one.
 */
final class FakeShareConsumer implements ShareConsumer<String, String> {
  static final String TOPIC = "work";
  private static final Uuid TOPIC_ID = Uuid.fromString("AAAAAAAAAAAAAAAAAAAAAA");
  private static final TopicIdPartition PARTITION = new TopicIdPartition(TOPIC_ID, 0, TOPIC);

  private final MutableClock clock;
  private final Duration lock;
  private final Deque<ConsumerRecord<String, String>> buffer = new ArrayDeque<>();
  private final Map<Long, ConsumerRecord<String, String>> unacknowledged = new LinkedHashMap<>();
  private final Map<ConsumerRecord<String, String>, AcknowledgeType> pending =
      new LinkedHashMap<>();
  private final Set<Long> lost = new HashSet<>();
  private final List<ConsumerRecord<String, String>> renewed = new ArrayList<>();

  /** Every acknowledgement the broker accepted, in order, as {@code TYPE@offset}. */
  final List<String> committed = new ArrayList<>();

  private boolean woken;
  boolean subscribed;
  volatile boolean closed;

  FakeShareConsumer(MutableClock clock, Duration lock) {
    this.clock = clock;
    this.lock = lock;
  }

  /** A record the broker acquired for this consumer, waiting in its buffer. */
  void fetch(long offset, int deliveries, String value) {
    buffer.add(record(offset, deliveries, value));
  }

  /** The broker lets the record's acquisition lock run out: acknowledging it fails from now. */
  void loseLock(long offset) {
    lost.add(offset);
  }

  static ConsumerRecord<String, String> record(long offset, int deliveries, String value) {
    return withDeliveries(offset, (short) deliveries, value);
  }

  private static ConsumerRecord<String, String> withDeliveries(
      long offset, short deliveries, String value) {
    return new ConsumerRecord<>(
        TOPIC,
        0,
        offset,
        0L,
        TimestampType.CREATE_TIME,
        -1,
        -1,
        "key-" + offset,
        value,
        new RecordHeaders(),
        Optional.empty(),
        Optional.of(deliveries));
  }

  @Override
  public ConsumerRecords<String, String> poll(Duration timeout) {
    if (woken) {
      woken = false;
      throw new WakeupException();
    }
    if (!unacknowledged.isEmpty()) {
      throw new IllegalStateException(
          "explicit mode: records " + unacknowledged.keySet() + " were not acknowledged");
    }
    ConsumerRecord<String, String> next;
    if (!renewed.isEmpty()) {
      next = renewed.remove(0);
    } else {
      next = buffer.poll();
    }
    if (next == null) {
      clock.advance(timeout);
      return ConsumerRecords.empty();
    }
    unacknowledged.put(next.offset(), next);
    return new ConsumerRecords<>(Map.of(new TopicPartition(TOPIC, 0), List.of(next)), Map.of());
  }

  @Override
  public void acknowledge(ConsumerRecord<String, String> record, AcknowledgeType type) {
    if (unacknowledged.remove(record.offset()) == null) {
      throw new IllegalStateException("record " + record.offset() + " was not returned by a poll");
    }
    pending.put(record, type);
  }

  @Override
  public Map<TopicIdPartition, Optional<KafkaException>> commitSync(Duration timeout) {
    KafkaException failure = null;
    for (Map.Entry<ConsumerRecord<String, String>, AcknowledgeType> ack : pending.entrySet()) {
      long offset = ack.getKey().offset();
      if (lost.contains(offset)) {
        failure = new InvalidRecordStateException("the lock of " + offset + " ran out");
        continue;
      }
      committed.add(ack.getValue().name() + "@" + offset);
      if (ack.getValue() == AcknowledgeType.RENEW) {
        ConsumerRecord<String, String> r = ack.getKey();
        renewed.add(withDeliveries(offset, r.deliveryCount().orElseThrow(), r.value()));
      }
    }
    boolean any = !pending.isEmpty();
    pending.clear();
    return any ? Map.of(PARTITION, Optional.ofNullable(failure)) : Map.of();
  }

  @Override
  public Optional<Integer> acquisitionLockTimeoutMs() {
    return Optional.of((int) lock.toMillis());
  }

  @Override
  public void subscribe(Collection<String> topics) {
    subscribed = topics.contains(TOPIC);
  }

  @Override
  public void setAcknowledgementCommitCallback(AcknowledgementCommitCallback callback) {}

  @Override
  public void wakeup() {
    woken = true;
  }

  @Override
  public void close() {
    closed = true;
  }

  @Override
  public void close(Duration timeout) {
    closed = true;
  }

  // --- not used by the adapter
  // --------------------------------------------------------------------

  @Override
  public Set<String> subscription() {
    throw new UnsupportedOperationException();
  }

  @Override
  public void unsubscribe() {
    throw new UnsupportedOperationException();
  }

  @Override
  public void acknowledge(ConsumerRecord<String, String> record) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void acknowledge(String topic, int partition, long offset, AcknowledgeType type) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Map<TopicIdPartition, Optional<KafkaException>> commitSync() {
    return commitSync(Duration.ofSeconds(30));
  }

  @Override
  public void commitAsync() {
    throw new UnsupportedOperationException();
  }

  @Override
  public Uuid clientInstanceId(Duration timeout) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Map<MetricName, ? extends Metric> metrics() {
    return Map.of();
  }

  @Override
  public void registerMetricForSubscription(KafkaMetric metric) {}

  @Override
  public void unregisterMetricFromSubscription(KafkaMetric metric) {}
}
