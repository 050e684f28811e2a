package dev.spotbatch.boot;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which queues the dispatcher and the worker use ({@code spotbatch.queue.*}, the same names and
 * defaults in both apps).
 *
 * @param type {@code sqs} (default), {@code kafka} or {@code memory} (tests only)
 * @param work the work queue's name (SQS: resolved to a URL with GetQueueUrl) or the work topic
 * @param events the event queue's name or the events topic
 * @param maxReceiveCount receives before SQS redrives a work item to the dead-letter queue, when
 *     spotbatch creates the queues (the embedded default); also the in-memory queue's limit
 * @param kafka the Kafka settings, used when {@code type=kafka}
 */
@ConfigurationProperties("spotbatch.queue")
public record QueueProperties(
    @DefaultValue("sqs") Type type,
    @DefaultValue(DEFAULT_WORK) String work,
    @DefaultValue(DEFAULT_EVENTS) String events,
    @DefaultValue("10") int maxReceiveCount,
    @DefaultValue KafkaQueueProperties kafka) {

  public static final String DEFAULT_WORK = "spotbatch-work";
  public static final String DEFAULT_EVENTS = "spotbatch-events";

  /** Queue implementations; {@code spotbatch.queue.type} in lower case. */
  public enum Type {
    SQS,
    KAFKA,
    MEMORY
  }

  public QueueProperties {
    if (type == null) {
      type = Type.SQS;
    }
    if (work == null || work.isBlank() || events == null || events.isBlank()) {
      throw new IllegalArgumentException(
          "spotbatch.queue.work and spotbatch.queue.events must not be blank");
    }
    if (maxReceiveCount < 1 || maxReceiveCount > 1000) {
      throw new IllegalArgumentException(
          "spotbatch.queue.max-receive-count must be between 1 and 1000 (SQS), was "
              + maxReceiveCount);
    }
  }

  /**
   * The command-line arguments that give another process (a local worker) these queue names: only
   * the names that differ from the defaults, so a worker's command line stays short.
   */
  public List<String> nameArgs() {
    List<String> args = new ArrayList<>();
    if (!DEFAULT_WORK.equals(work)) {
      args.add("--spotbatch.queue.work=" + work);
    }
    if (!DEFAULT_EVENTS.equals(events)) {
      args.add("--spotbatch.queue.events=" + events);
    }
    return args;
  }
}
