package dev.spotbatch.queue.kafka;

import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The work queue contract on {@link KafkaShareWorkQueue} and a Kafka 4.2 broker in a container
 * (Testcontainers); skipped where there is no Docker.
 */
@Testcontainers(disabledWithoutDocker = true)
class KafkaShareWorkQueueTestcontainersIT extends KafkaWorkQueueContract {
  @Container
  static final KafkaContainer KAFKA =
      new KafkaContainer("apache/kafka:4.2.1")
          .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR", "1")
          .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR", "1")
          .withEnv("KAFKA_GROUP_SHARE_MIN_RECORD_LOCK_DURATION_MS", "1000")
          .withEnv("KAFKA_GROUP_SHARE_DELIVERY_COUNT_LIMIT", "10")
          .withEnv("KAFKA_GROUP_SHARE_HEARTBEAT_INTERVAL_MS", "500")
          .withEnv("KAFKA_GROUP_SHARE_MIN_HEARTBEAT_INTERVAL_MS", "500");

  @Override
  protected String bootstrapServers() {
    return KAFKA.getBootstrapServers();
  }
}
