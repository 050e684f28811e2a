package dev.spotbatch.worker.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which queues the worker uses ({@code spotbatch.queue.*}).
 *
 * @param type {@code sqs} (default) or {@code memory} (tests only)
 * @param work the work queue's name, resolved to a URL with GetQueueUrl
 * @param events the event queue's name
 */
@ConfigurationProperties("spotbatch.queue")
public record QueueProperties(
    @DefaultValue("sqs") Type type,
    @DefaultValue("spotbatch-work") String work,
    @DefaultValue("spotbatch-events") String events) {

  /** Queue implementations. */
  public enum Type {
    SQS,
    MEMORY
  }

  public QueueProperties {
    if (work == null || work.isBlank() || events == null || events.isBlank()) {
      throw new IllegalArgumentException(
          "spotbatch.queue.work and spotbatch.queue.events must not be blank");
    }
  }
}
