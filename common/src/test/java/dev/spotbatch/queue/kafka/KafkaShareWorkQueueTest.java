package dev.spotbatch.queue.kafka;

import dev.spotbatch.testing.SharedKafka;

/**
 * The work queue contract on {@link KafkaShareWorkQueue} and an in-process single-node KRaft broker
 * (Kafka's own test kit).
 */
class KafkaShareWorkQueueTest extends KafkaWorkQueueContract {
  @Override
  protected String bootstrapServers() {
    return SharedKafka.bootstrapServers();
  }
}
