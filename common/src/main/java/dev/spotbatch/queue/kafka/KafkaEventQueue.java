package dev.spotbatch.queue.kafka;

import dev.spotbatch.codec.CodecException;
import dev.spotbatch.codec.MessageCodec;
import dev.spotbatch.event.WorkerEvent;
import dev.spotbatch.queue.EventDelivery;
import dev.spotbatch.queue.EventQueue;
import dev.spotbatch.queue.QueueException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicIdPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link EventQueue} on a Kafka topic read through a share group in explicit acknowledgement
 * mode: publish produces (idempotent producer, {@code acks=all}) and returns once the broker has
 * every event; receive polls; acknowledge ACCEPTs and commits. Events received but not acknowledged
 * by the next receive are RELEASEd, so they are delivered again (at-least-once). An event that
 * cannot be decoded is REJECTed (archived) and logged: it would never decode.
 *
 * <p>Publishing is thread-safe. Receiving and acknowledging are serialised on this object (the
 * share consumer is not thread-safe); the dispatcher calls them from its one consumer thread.
 */
public final class KafkaEventQueue implements EventQueue {
  private static final Logger log = LoggerFactory.getLogger(KafkaEventQueue.class);
  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaOptions options;
  private final MessageCodec codec;
  private final KafkaProducer<String, String> producer;
  private KafkaShareConsumer<String, String> consumer; // created on first receive

  /** Records returned by the last poll and not yet acknowledged, by handle. */
  private final Map<String, ConsumerRecord<String, String>> unacknowledged = new LinkedHashMap<>();

  /** Decoded deliveries polled but not yet handed out (a poll may return more than asked). */
  private final Deque<EventDelivery> buffered = new ArrayDeque<>();

  public KafkaEventQueue(KafkaOptions options, MessageCodec codec) {
    this.options = Objects.requireNonNull(options, "options");
    this.codec = Objects.requireNonNull(codec, "codec");
    this.producer = KafkaClients.producer(options, "spotbatch-events-producer");
  }

  @Override
  public void publish(List<WorkerEvent> events) {
    List<Future<RecordMetadata>> sent = new ArrayList<>(events.size());
    for (WorkerEvent event : events) {
      sent.add(
          producer.send(
              new ProducerRecord<>(options.eventsTopic(), event.workerId(), codec.encode(event))));
    }
    KafkaClients.awaitAll(sent, SEND_TIMEOUT, "publish events to " + options.eventsTopic());
  }

  @Override
  public synchronized List<EventDelivery> receive(int max, Duration wait) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1, was " + max);
    }
    if (buffered.isEmpty()) {
      KafkaShareConsumer<String, String> c = consumer();
      releaseUnacknowledged(c);
      try {
        for (ConsumerRecord<String, String> record : c.poll(wait)) {
          String handle = KafkaClients.handle(record);
          WorkerEvent event;
          try {
            event = codec.decodeEvent(record.value());
          } catch (CodecException e) {
            log.warn(
                "rejecting undecodable event at {} (delivery {}): {}",
                handle,
                record.deliveryCount().orElse((short) 1),
                e.getMessage());
            c.acknowledge(record, AcknowledgeType.REJECT);
            continue;
          }
          unacknowledged.put(handle, record);
          buffered.add(new EventDelivery(event, handle));
        }
      } catch (KafkaException e) {
        throw new QueueException("receiving events from " + options.eventsTopic() + ": " + e, e);
      }
    }
    List<EventDelivery> out = new ArrayList<>(Math.min(max, buffered.size()));
    while (out.size() < max && !buffered.isEmpty()) {
      out.add(buffered.poll());
    }
    return out;
  }

  @Override
  public synchronized void acknowledge(List<EventDelivery> deliveries) {
    if (deliveries.isEmpty() || consumer == null) {
      return;
    }
    for (EventDelivery delivery : deliveries) {
      ConsumerRecord<String, String> record = unacknowledged.remove(delivery.handle());
      if (record != null) {
        consumer.acknowledge(record, AcknowledgeType.ACCEPT);
      }
    }
    commit(consumer);
  }

  /** Releases what was received and not acknowledged, then closes the clients. Never throws. */
  @Override
  public synchronized void close() {
    if (consumer != null) {
      try {
        releaseUnacknowledged(consumer);
        consumer.close(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        log.warn("closing the events share consumer: {}", e.toString());
      }
      consumer = null;
    }
    try {
      producer.close(Duration.ofSeconds(5));
    } catch (RuntimeException e) {
      log.warn("closing the events producer: {}", e.toString());
    }
  }

  private KafkaShareConsumer<String, String> consumer() {
    if (consumer == null) {
      Map<String, Object> config = new HashMap<>();
      config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
      consumer =
          KafkaClients.shareConsumer(
              options, options.eventsGroup(), "spotbatch-events-consumer", config);
      consumer.subscribe(List.of(options.eventsTopic()));
    }
    return consumer;
  }

  private void releaseUnacknowledged(KafkaShareConsumer<String, String> c) {
    if (unacknowledged.isEmpty() && buffered.isEmpty()) {
      return;
    }
    for (ConsumerRecord<String, String> record : unacknowledged.values()) {
      c.acknowledge(record, AcknowledgeType.RELEASE);
    }
    unacknowledged.clear();
    buffered.clear();
    commit(c);
  }

  private void commit(KafkaShareConsumer<String, String> c) {
    try {
      Map<TopicIdPartition, Optional<KafkaException>> result = c.commitSync();
      result.forEach(
          (partition, error) ->
              error.ifPresent(
                  e ->
                      log.warn(
                          "acknowledging events on {} failed; they will be delivered again: {}",
                          partition,
                          e.toString())));
    } catch (KafkaException e) {
      throw new QueueException("acknowledging events on " + options.eventsTopic() + ": " + e, e);
    }
  }
}
