package dev.spotbatch.worker.config;

import dev.spotbatch.boot.KafkaQueueProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which queues the worker uses ({@code spotbatch.queue.*}).
 *
 * @param type {@code sqs} (default), {@code kafka} or {@code memory} (tests only)
 * @param work the work queue's name (SQS: resolved to a URL with GetQueueUrl) or the work topic
 * @param events the event queue's name or the events topic
 * @param kafka the Kafka settings, used when {@code type=kafka}
 */
@ConfigurationProperties("spotbatch.queue")
public record QueueProperties(
    @DefaultValue("sqs") Type type,
    @DefaultValue("spotbatch-work") String work,
    @DefaultValue("spotbatch-events") String events,
    @DefaultValue KafkaQueueProperties kafka) {

  /** Queue implementations. */
  public enum Type {
    SQS,
    KAFKA,
    MEMORY
  }

  public QueueProperties {
    if (work == null || work.isBlank() || events == null || events.isBlank()) {
      throw new IllegalArgumentException(
          "spotbatch.queue.work and spotbatch.queue.events must not be blank");
    }
  }
}
