package dev.spotbatch.queue.kafka;

import dev.spotbatch.localcloud.LocalKafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The work queue contract on {@link KafkaShareWorkQueue} and an in-process single-node KRaft broker
 * (Kafka's own test kit).
 */
class KafkaShareWorkQueueTest extends KafkaWorkQueueContract {
  private static LocalKafkaBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = LocalKafkaBroker.start();
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @Override
  protected String bootstrapServers() {
    return broker.bootstrapServers();
  }
}
