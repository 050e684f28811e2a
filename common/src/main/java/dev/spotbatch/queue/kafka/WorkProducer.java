package dev.spotbatch.queue.kafka;

import dev.spotbatch.codec.MessageCodec;
import dev.spotbatch.model.WorkItem;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the Kafka work queue writes, on one producer: new items and continuations on the work
 * topic, retries with a delay on the delay-tier topics (with their due time, for the {@link
 * KafkaDelayForwarder}), and copies of records delivered too often on the dead-letter topic. Every
 * method returns only once the broker has the record. Thread-safe.
 */
final class WorkProducer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkProducer.class);

  /** Header on delay-tier records: when the retry is due, epoch milliseconds. */
  static final String DUE_HEADER = "spotbatch-due-at";

  static final String SOURCE_HEADER = "spotbatch-source";
  static final String DELIVERIES_HEADER = "spotbatch-deliveries";

  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaOptions options;
  private final MessageCodec codec;
  private final Clock clock;
  private final Producer<String, String> producer;

  WorkProducer(
      KafkaOptions options, MessageCodec codec, Clock clock, Producer<String, String> producer) {
    this.options = Objects.requireNonNull(options, "options");
    this.codec = Objects.requireNonNull(codec, "codec");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.producer = Objects.requireNonNull(producer, "producer");
  }

  /** A producer of its own, named {@code clientId}. */
  static WorkProducer create(
      KafkaOptions options, MessageCodec codec, Clock clock, String clientId) {
    return new WorkProducer(options, codec, clock, KafkaClients.producer(options, clientId));
  }

  /** Puts items on the work topic, keyed by item id. */
  void send(List<WorkItem> items) {
    List<Future<RecordMetadata>> sent = new ArrayList<>(items.size());
    for (WorkItem item : items) {
      sent.add(producer.send(workRecord(item)));
    }
    KafkaClients.awaitAll(sent, SEND_TIMEOUT, "send work items to " + options.workTopic());
  }

  /**
   * Puts the item that replaces a lease on the queue: on the work topic if {@code delay} is zero,
   * else on the smallest delay tier at least that long (capped at the longest), due after it.
   */
  void sendNext(WorkItem next, Duration delay) {
    if (delay == null || delay.isNegative()) {
      throw new IllegalArgumentException("delay must be >= 0, was " + delay);
    }
    ProducerRecord<String, String> record;
    if (delay.isZero()) {
      record = workRecord(next);
    } else {
      Duration tier = options.tierFor(delay);
      long due = clock.millis() + tier.toMillis();
      RecordHeaders headers = new RecordHeaders();
      headers.add(DUE_HEADER, Long.toString(due).getBytes(StandardCharsets.UTF_8));
      record =
          new ProducerRecord<>(
              options.delayTopic(tier), null, next.itemId(), codec.encode(next), headers);
    }
    KafkaClients.awaitAll(List.of(producer.send(record)), SEND_TIMEOUT, "requeue " + next.itemId());
  }

  /**
   * Puts a continuation of the whole item on the work topic: a fresh record, so a fresh delivery
   * count, for an item given back without a failure.
   */
  void sendContinuation(WorkItem item) {
    KafkaClients.awaitAll(
        List.of(producer.send(workRecord(item.continueFrom(item.range().start())))),
        SEND_TIMEOUT,
        "give back " + item.itemId());
  }

  /**
   * Copies a record to the dead-letter topic, with where it came from and how often it was
   * delivered.
   *
   * @throws dev.spotbatch.queue.QueueException if the broker did not take the copy
   */
  void copyToDeadLetters(ConsumerRecord<String, String> record, int deliveries) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(SOURCE_HEADER, KafkaClients.handle(record).getBytes(StandardCharsets.UTF_8));
    headers.add(DELIVERIES_HEADER, Integer.toString(deliveries).getBytes(StandardCharsets.UTF_8));
    KafkaClients.awaitAll(
        List.of(
            producer.send(
                new ProducerRecord<>(
                    options.deadLetterTopic(), null, record.key(), record.value(), headers))),
        SEND_TIMEOUT,
        "dead-letter " + KafkaClients.handle(record));
  }

  private ProducerRecord<String, String> workRecord(WorkItem item) {
    return new ProducerRecord<>(options.workTopic(), item.itemId(), codec.encode(item));
  }

  /** Closes the producer. Never throws. */
  @Override
  public void close() {
    try {
      producer.close(Duration.ofSeconds(5));
    } catch (RuntimeException e) {
      log.warn("closing the work producer: {}", e.toString());
    }
  }
}
