package dev.spotbatch.e2e;

import dev.spotbatch.local.EmbeddedKafkaBroker;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * The chaos scenario on Kafka: the dispatcher's embedded single-node KRaft broker, workers leasing
 * through a share group (one consumer per slot), and spotbatch's own dead-letter topic. The
 * dispatcher's restart restarts the broker from its logs.
 */
class KafkaChaosIT extends AbstractChaosIT {

  @Override
  protected List<String> brokerArguments() {
    return List.of(
        "--spotbatch.queue.type=kafka",
        "--spotbatch.embedded.kafka.enabled=true",
        // the workers' lease on Kafka is the acquisition lock: 20 s, as the SQS lease in ChaosIT
        // (the 30 s default kept a killed worker's records locked 10 s longer than on SQS)
        "--spotbatch.queue.kafka.lock-duration=20s");
  }

  /**
   * The embedded broker lives in the dispatcher's process and its clients find it by the port it
   * takes at start, so it restarts with the dispatcher (from its log directory: a real broker
   * restart, with the share groups' state read back), not alone.
   */
  @Override
  protected boolean restartBroker() {
    return false;
  }

  /** Records in {@code spotbatch-work-dlq}. */
  @Override
  protected long deadLetters() throws Exception {
    String bootstrap = dispatcher.getBean(EmbeddedKafkaBroker.class).bootstrapServers();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      TopicPartition dlq = new TopicPartition("spotbatch-work-dlq", 0);
      return admin
          .listOffsets(Map.of(dlq, OffsetSpec.latest()))
          .partitionResult(dlq)
          .get(10, TimeUnit.SECONDS)
          .offset();
    }
  }
}
