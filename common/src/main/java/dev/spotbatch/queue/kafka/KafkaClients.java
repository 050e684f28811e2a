package dev.spotbatch.queue.kafka;

import dev.spotbatch.queue.QueueException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Builds the adapters' Kafka clients with one set of defaults. */
final class KafkaClients {
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  private KafkaClients() {}

  /** An idempotent producer with {@code acks=all}: a send that returns is on the broker. */
  static KafkaProducer<String, String> producer(KafkaOptions options, String clientId) {
    Map<String, Object> config = KafkaTopics.clientConfig(options);
    config.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId + "-" + SEQUENCE.incrementAndGet());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
  }

  /** A share consumer in explicit acknowledgement mode. */
  static KafkaShareConsumer<String, String> shareConsumer(
      KafkaOptions options, String group, String clientId, Map<String, Object> extra) {
    Map<String, Object> config = KafkaTopics.clientConfig(options);
    config.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId + "-" + SEQUENCE.incrementAndGet());
    config.put(CommonClientConfigs.GROUP_ID_CONFIG, group);
    config.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
    config.putAll(extra);
    return new KafkaShareConsumer<>(config, new StringDeserializer(), new StringDeserializer());
  }

  /** A record's coordinates, {@code topic:partition:offset}. */
  static String handle(ConsumerRecord<?, ?> record) {
    return record.topic() + ":" + record.partition() + ":" + record.offset();
  }

  /** Waits for every send; the first failure becomes a {@link QueueException}. */
  static void awaitAll(List<? extends Future<?>> futures, Duration timeout, String what) {
    long until = System.nanoTime() + timeout.toNanos();
    for (Future<?> future : futures) {
      try {
        future.get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new QueueException("interrupted: " + what, e);
      } catch (ExecutionException | TimeoutException e) {
        Throwable cause =
            e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        throw new QueueException("could not " + what + ": " + cause, cause);
      }
    }
  }
}
