package dev.spotbatch.queue.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the Kafka adapters, validated once.
 *
 * @param bootstrapServers the cluster, {@code host:port[,host:port]}
 * @param clientProperties extra client settings for every producer, consumer and admin client
 *     (security: {@code security.protocol}, {@code sasl.mechanism}, ... for Amazon MSK with IAM or
 *     SCRAM); never logged
 * @param workTopic the topic work items are produced to and leased from
 * @param eventsTopic the topic workers publish events to
 * @param workGroup the share group the workers lease through
 * @param eventsGroup the share group the dispatcher reads events through
 * @param delayTiers the retry delays that exist as topics ({@code <workTopic>-delay-<seconds>s}),
 *     ascending; a requeue with a delay waits out the smallest tier at least as long as asked (the
 *     longest tier caps it)
 * @param maxReceiveCount a record delivered more often than this without being completed moves to
 *     the dead-letter topic {@code <workTopic>-dlq} on its next delivery (like an SQS redrive
 *     policy); keep the broker's {@code group.share.delivery.count.limit} above it
 * @param lockDuration the share group's acquisition lock ({@code share.record.lock.duration.ms});
 *     the adapter renews a held record's lock well before it runs out, for as long as its lease
 *     lasts
 * @param slots how many records one {@link KafkaShareWorkQueue} may hold at once (one share
 *     consumer per slot; a worker sets its concurrency, at least 1); the dispatcher's clients
 *     ({@link KafkaWorkSubmitter}, the event queue, the delay forwarder) need none
 * @param partitions partitions of the work and events topics when the adapter creates them. Keep
 *     them well below the number of share consumers (workers x slots): a share group lets several
 *     members read one partition only while there are fewer partitions than members, and a member
 *     holding its one record fetches nothing else from the partitions it alone was given. One
 *     partition carries up to {@code group.share.partition.max.record.locks} (2,000) leases in
 *     flight, plenty for the small messages work items are
 */
public record KafkaOptions(
    String bootstrapServers,
    Map<String, String> clientProperties,
    String workTopic,
    String eventsTopic,
    String workGroup,
    String eventsGroup,
    List<Duration> delayTiers,
    int maxReceiveCount,
    Duration lockDuration,
    int slots,
    int partitions) {

  /** The default retry tiers: 1 s, 5 s, 30 s, 2 min, 15 min (as SQS, at most 15 minutes). */
  public static final List<Duration> DEFAULT_DELAY_TIERS =
      List.of(
          Duration.ofSeconds(1),
          Duration.ofSeconds(5),
          Duration.ofSeconds(30),
          Duration.ofMinutes(2),
          Duration.ofMinutes(15));

  public KafkaOptions {
    requireText(bootstrapServers, "bootstrapServers");
    requireText(workTopic, "workTopic");
    requireText(eventsTopic, "eventsTopic");
    requireText(workGroup, "workGroup");
    requireText(eventsGroup, "eventsGroup");
    clientProperties = Map.copyOf(Objects.requireNonNull(clientProperties, "clientProperties"));
    Objects.requireNonNull(delayTiers, "delayTiers");
    Objects.requireNonNull(lockDuration, "lockDuration");
    if (delayTiers.isEmpty()) {
      throw new IllegalArgumentException("delayTiers must name at least one delay");
    }
    List<Duration> tiers = new ArrayList<>(delayTiers);
    for (int i = 0; i < tiers.size(); i++) {
      Duration d = tiers.get(i);
      if (d.isNegative() || d.isZero() || d.toMillis() % 1000 != 0) {
        throw new IllegalArgumentException(
            "delayTiers must be whole positive seconds, was " + delayTiers);
      }
      if (i > 0 && d.compareTo(tiers.get(i - 1)) <= 0) {
        throw new IllegalArgumentException("delayTiers must be ascending, was " + delayTiers);
      }
    }
    delayTiers = List.copyOf(tiers);
    if (maxReceiveCount < 1 || maxReceiveCount > 9) {
      throw new IllegalArgumentException(
          "maxReceiveCount must be between 1 and 9 (below the broker's delivery count limit, at"
              + " most 10), was "
              + maxReceiveCount);
    }
    if (lockDuration.toMillis() < 1000 || lockDuration.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException(
          "lockDuration must be between 1 s and 1 h, was " + lockDuration);
    }
    if (slots < 0 || slots > 256) {
      throw new IllegalArgumentException("slots must be between 0 and 256, was " + slots);
    }
    if (partitions < 1 || partitions > 1024) {
      throw new IllegalArgumentException(
          "partitions must be between 1 and 1024, was " + partitions);
    }
  }

  /**
   * Topics {@code spotbatch-work} / {@code spotbatch-events}, groups {@code spotbatch-workers} /
   * {@code spotbatch-dispatcher}, the default tiers, redrive after 4 deliveries (below a stock
   * broker's {@code group.share.delivery.count.limit} of 5), a 30 s lock, no slots (enough for the
   * dispatcher; a worker sets them), one partition.
   */
  public static KafkaOptions defaults(String bootstrapServers) {
    return new KafkaOptions(
        bootstrapServers,
        Map.of(),
        "spotbatch-work",
        "spotbatch-events",
        "spotbatch-workers",
        "spotbatch-dispatcher",
        DEFAULT_DELAY_TIERS,
        4,
        Duration.ofSeconds(30),
        0,
        1);
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  public KafkaOptions withClientProperties(Map<String, String> next) {
    return toBuilder().clientProperties(next).build();
  }

  public KafkaOptions withTopics(String work, String events) {
    return toBuilder().workTopic(work).eventsTopic(events).build();
  }

  public KafkaOptions withGroups(String work, String events) {
    return toBuilder().workGroup(work).eventsGroup(events).build();
  }

  public KafkaOptions withDelayTiers(List<Duration> next) {
    return toBuilder().delayTiers(next).build();
  }

  public KafkaOptions withMaxReceiveCount(int next) {
    return toBuilder().maxReceiveCount(next).build();
  }

  public KafkaOptions withLockDuration(Duration next) {
    return toBuilder().lockDuration(next).build();
  }

  public KafkaOptions withSlots(int next) {
    return toBuilder().slots(next).build();
  }

  public KafkaOptions withPartitions(int next) {
    return toBuilder().partitions(next).build();
  }

  /** Changes some settings of a copy; {@link #build()} validates them all. */
  public static final class Builder {
    private String bootstrapServers;
    private Map<String, String> clientProperties;
    private String workTopic;
    private String eventsTopic;
    private String workGroup;
    private String eventsGroup;
    private List<Duration> delayTiers;
    private int maxReceiveCount;
    private Duration lockDuration;
    private int slots;
    private int partitions;

    private Builder(KafkaOptions o) {
      bootstrapServers = o.bootstrapServers;
      clientProperties = o.clientProperties;
      workTopic = o.workTopic;
      eventsTopic = o.eventsTopic;
      workGroup = o.workGroup;
      eventsGroup = o.eventsGroup;
      delayTiers = o.delayTiers;
      maxReceiveCount = o.maxReceiveCount;
      lockDuration = o.lockDuration;
      slots = o.slots;
      partitions = o.partitions;
    }

    public Builder clientProperties(Map<String, String> value) {
      clientProperties = value;
      return this;
    }

    public Builder workTopic(String value) {
      workTopic = value;
      return this;
    }

    public Builder eventsTopic(String value) {
      eventsTopic = value;
      return this;
    }

    public Builder workGroup(String value) {
      workGroup = value;
      return this;
    }

    public Builder eventsGroup(String value) {
      eventsGroup = value;
      return this;
    }

    public Builder delayTiers(List<Duration> value) {
      delayTiers = value;
      return this;
    }

    public Builder maxReceiveCount(int value) {
      maxReceiveCount = value;
      return this;
    }

    public Builder lockDuration(Duration value) {
      lockDuration = value;
      return this;
    }

    public Builder slots(int value) {
      slots = value;
      return this;
    }

    public Builder partitions(int value) {
      partitions = value;
      return this;
    }

    public KafkaOptions build() {
      return new KafkaOptions(
          bootstrapServers,
          clientProperties,
          workTopic,
          eventsTopic,
          workGroup,
          eventsGroup,
          delayTiers,
          maxReceiveCount,
          lockDuration,
          slots,
          partitions);
    }
  }

  /** The dead-letter topic of the work topic. */
  public String deadLetterTopic() {
    return workTopic + "-dlq";
  }

  /** The topic of one delay tier. */
  public String delayTopic(Duration tier) {
    return workTopic + "-delay-" + tier.toSeconds() + "s";
  }

  /** The longest retry delay (the last tier). */
  public Duration maxDelay() {
    return delayTiers.get(delayTiers.size() - 1);
  }

  /** The tier a requeue with {@code delay} waits out: the smallest tier >= delay, capped. */
  public Duration tierFor(Duration delay) {
    for (Duration tier : delayTiers) {
      if (tier.compareTo(delay) >= 0) {
        return tier;
      }
    }
    return maxDelay();
  }

  /** Client settings without secrets, for logs. */
  @Override
  public String toString() {
    return "KafkaOptions[bootstrapServers="
        + bootstrapServers
        + ", clientProperties="
        + clientProperties.keySet()
        + ", workTopic="
        + workTopic
        + ", eventsTopic="
        + eventsTopic
        + ", workGroup="
        + workGroup
        + ", eventsGroup="
        + eventsGroup
        + ", delayTiers="
        + delayTiers
        + ", maxReceiveCount="
        + maxReceiveCount
        + ", lockDuration="
        + lockDuration
        + ", slots="
        + slots
        + ", partitions="
        + partitions
        + "]";
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }
}
