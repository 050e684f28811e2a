package dev.spotbatch.queue.kafka;

import dev.spotbatch.codec.MessageCodec;
import dev.spotbatch.testing.WorkQueueContract;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;

/**
 * The work queue contract on {@link KafkaWorkSubmitter} and {@link KafkaShareWorkQueue}, with the
 * {@link KafkaDelayForwarder} running as the dispatcher runs it. Each test gets its own topics and
 * share group; a subclass provides the broker.
 */
abstract class KafkaWorkQueueContract extends WorkQueueContract {
  private KafkaDelayForwarder forwarder;
  private Admin admin;

  /** The broker's bootstrap servers. */
  protected abstract String bootstrapServers();

  /**
   * Options for one test: its own topics and groups, tiers of 1 s, 5 s and 60 s. The broker lock is
   * the production default's half (15 s): leases of 1 s run out by the adapter's own deadline, not
   * by the lock.
   */
  static KafkaOptions options(String bootstrap, int maxReceiveCount) {
    String id = UUID.randomUUID().toString().substring(0, 8);
    return KafkaOptions.defaults(bootstrap)
        .withTopics("work-" + id, "events-" + id)
        .withGroups("workers-" + id, "dispatcher-" + id)
        .withDelayTiers(
            List.of(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(60)))
        .withMaxReceiveCount(maxReceiveCount)
        .withLockDuration(Duration.ofSeconds(15))
        .withSlots(16)
        .withPartitions(1);
  }

  @Override
  protected QueueUnderTest newQueue(int maxReceiveCount) {
    KafkaOptions options = options(bootstrapServers(), maxReceiveCount);
    if (admin == null) {
      admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()));
    }
    KafkaTopics.ensure(options);
    forwarder = new KafkaDelayForwarder(options, Clock.systemUTC());
    forwarder.start();
    return new QueueUnderTest(
        new KafkaWorkSubmitter(options, new MessageCodec(), Clock.systemUTC()),
        new KafkaShareWorkQueue(options, new MessageCodec(), Clock.systemUTC()),
        () -> endOffset(options.deadLetterTopic()));
  }

  @AfterEach
  void stopForwarder() {
    if (forwarder != null) {
      forwarder.close();
    }
    if (admin != null) {
      admin.close();
      admin = null;
    }
  }

  @Override
  protected boolean separatesInFlight() {
    return false;
  }

  @Override
  protected Duration retryDelay() {
    return Duration.ofSeconds(5);
  }

  /**
   * A new share consumer joins its group before its first fetch (a second or two here, more under
   * load), and a record a consumer fetched just after a lease call stopped polling it comes back
   * only when the keeper collects it or, at worst, when its 15 s lock runs out.
   */
  @Override
  protected Duration patience() {
    return Duration.ofSeconds(15);
  }

  private long endOffset(String topic) {
    try {
      TopicPartition tp = new TopicPartition(topic, 0);
      return admin
          .listOffsets(Map.of(tp, OffsetSpec.latest()))
          .partitionResult(tp)
          .get(10, TimeUnit.SECONDS)
          .offset();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
