package dev.spotbatch.boot;

import dev.spotbatch.queue.kafka.KafkaOptions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Kafka settings ({@code spotbatch.queue.kafka.*}, the same names in the dispatcher and the
 * worker), turned into {@link KafkaOptions} once, at startup, when the queue type is {@code kafka}.
 * Topic names are {@code spotbatch.queue.work} / {@code spotbatch.queue.events}, as for SQS.
 *
 * @param bootstrapServers {@code host:port[,host:port]} (ignored by a dispatcher that runs the
 *     embedded broker; the local fleet passes that broker's to its workers)
 * @param properties extra settings for every Kafka client (security.protocol, sasl.*); never logged
 * @param workGroup the share group workers lease through
 * @param eventsGroup the share group the dispatcher reads events through
 * @param lockDuration the share groups' acquisition lock ({@code share.record.lock.duration.ms})
 * @param maxReceiveCount deliveries without completion before a work item goes to {@code
 *     <work>-dlq}; keep the broker's {@code group.share.delivery.count.limit} above it
 * @param partitions partitions of the work and events topics when spotbatch creates them
 * @param delayTiers the retry delays that exist as topics {@code <work>-delay-<seconds>s}
 */
public record KafkaQueueProperties(
    String bootstrapServers,
    Map<String, String> properties,
    @DefaultValue("spotbatch-workers") String workGroup,
    @DefaultValue("spotbatch-dispatcher") String eventsGroup,
    @DefaultValue("30s") Duration lockDuration,
    @DefaultValue("4") int maxReceiveCount,
    @DefaultValue("1") int partitions,
    @DefaultValue("1s,5s,30s,2m,15m") List<Duration> delayTiers) {

  private static final String PREFIX = "spotbatch.queue.kafka.";

  /** KafkaOptions' component names and the properties they come from. */
  private static final Map<String, String> PROPERTY_NAMES = propertyNames();

  public KafkaQueueProperties {
    properties = properties == null ? Map.of() : Map.copyOf(properties);
    delayTiers = delayTiers == null ? List.of() : List.copyOf(delayTiers);
  }

  /**
   * The validated options; a bad value fails with a message that names its property.
   *
   * @param bootstrap the cluster to use (this record's, or an embedded broker's)
   * @param workTopic {@code spotbatch.queue.work}
   * @param eventsTopic {@code spotbatch.queue.events}
   * @param slots records one work-queue instance may hold (0: producer only, the dispatcher)
   * @param slotsProperty the property {@code slots} comes from, for error messages (the worker's
   *     {@code spotbatch.worker.concurrency})
   */
  public KafkaOptions toOptions(
      String bootstrap, String workTopic, String eventsTopic, int slots, String slotsProperty) {
    try {
      return new KafkaOptions(
          bootstrap,
          properties,
          workTopic,
          eventsTopic,
          workGroup,
          eventsGroup,
          delayTiers,
          maxReceiveCount,
          lockDuration,
          slots,
          partitions);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException(
          "invalid Kafka queue settings: "
              + withPropertyNames(String.valueOf(e.getMessage()))
                  .replaceAll("\\bslots\\b", Matcher.quoteReplacement(slotsProperty)),
          e);
    }
  }

  /** Replaces KafkaOptions' component names in a message by the property names. */
  static String withPropertyNames(String message) {
    Matcher m =
        Pattern.compile("\\b(" + String.join("|", PROPERTY_NAMES.keySet()) + ")\\b")
            .matcher(message);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(PROPERTY_NAMES.get(m.group(1))));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static Map<String, String> propertyNames() {
    Map<String, String> names = new LinkedHashMap<>();
    names.put("bootstrapServers", PREFIX + "bootstrap-servers");
    names.put("clientProperties", PREFIX + "properties");
    names.put("workTopic", "spotbatch.queue.work");
    names.put("eventsTopic", "spotbatch.queue.events");
    names.put("workGroup", PREFIX + "work-group");
    names.put("eventsGroup", PREFIX + "events-group");
    names.put("delayTiers", PREFIX + "delay-tiers");
    names.put("maxReceiveCount", PREFIX + "max-receive-count");
    names.put("lockDuration", PREFIX + "lock-duration");
    names.put("partitions", PREFIX + "partitions");
    return Map.copyOf(names);
  }
}
