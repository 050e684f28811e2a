package dev.spotbatch.e2e.outage;

import java.nio.file.Path;
import java.util.List;

/**
 * The outage test on SQS: the object store, the queue (ElasticMQ cut off, {@link SqsOutageQueue})
 * and the database, one after the other, during one job.
 */
class OutageIT extends AbstractOutageIT {

  @Override
  protected OutageQueue startQueue(Path directory) throws Exception {
    return SqsOutageQueue.start();
  }

  @Override
  protected List<Outage> outages() {
    return List.of(Outage.STORAGE, Outage.QUEUE, Outage.DATABASE);
  }
}
