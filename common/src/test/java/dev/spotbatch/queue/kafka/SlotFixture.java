package dev.spotbatch.queue.kafka;

import dev.spotbatch.codec.MessageCodec;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.testing.MutableClock;
import dev.spotbatch.testing.Samples;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One {@link ShareSlot} on a {@link FakeShareConsumer}, a mock producer and a clock the test moves,
 * with the {@link SlotKeeper} that tends it driven one round at a time. Redrive after 3 deliveries;
 * a 30 s lock.
 */
final class SlotFixture {
  static final Duration LOCK = Duration.ofSeconds(30);
  static final int MAX_RECEIVE_COUNT = 3;

  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final FakeShareConsumer consumer = new FakeShareConsumer(clock, LOCK);
  final MockProducer<String, String> producer =
      new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());
  final MessageCodec codec = new MessageCodec();
  final KafkaOptions options =
      KafkaOptions.defaults("127.0.0.1:1")
          .withTopics(FakeShareConsumer.TOPIC, "events")
          .withMaxReceiveCount(MAX_RECEIVE_COUNT)
          .withLockDuration(LOCK)
          .withSlots(1);
  final Map<String, ShareSlot> leased = new ConcurrentHashMap<>();
  final ShareSlot.Context context =
      new ShareSlot.Context(
          options,
          codec,
          clock,
          new WorkProducer(options, codec, clock, producer),
          index -> consumer,
          leased);
  final ShareSlot slot = new ShareSlot(0, context);
  boolean leasingStopped;
  final SlotKeeper keeper =
      new SlotKeeper(
          List.of(slot),
          context,
          d -> {
            throw new AssertionError("the keeper thread is not started in these tests");
          },
          () -> leasingStopped);

  /** The broker hands the slot's consumer the record of {@code item} at {@code offset}. */
  void fetch(long offset, int deliveries, WorkItem item) {
    consumer.fetch(offset, deliveries, codec.encode(item));
  }

  static WorkItem item() {
    return Samples.item(1);
  }

  /** What was produced to {@code topic}. */
  List<ProducerRecord<String, String>> produced(String topic) {
    return producer.history().stream().filter(r -> r.topic().equals(topic)).toList();
  }
}
