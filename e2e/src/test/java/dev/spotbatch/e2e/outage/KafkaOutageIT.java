package dev.spotbatch.e2e.outage;

import java.nio.file.Path;
import java.util.List;

/**
 * The outage test on Kafka: the broker stopped and started again ({@link KafkaOutageQueue}), then
 * the database, during one job. The store's outage is the worker's alone and the same on both
 * queues ({@link OutageIT}); the database's is not: on Kafka the dispatcher reads the workers'
 * events through a share group, and events it cannot apply while the database is away must come
 * back to it, not be acknowledged.
 */
class KafkaOutageIT extends AbstractOutageIT {

  @Override
  protected OutageQueue startQueue(Path directory) throws Exception {
    return KafkaOutageQueue.start(directory);
  }

  @Override
  protected List<Outage> outages() {
    return List.of(Outage.QUEUE, Outage.DATABASE);
  }
}
