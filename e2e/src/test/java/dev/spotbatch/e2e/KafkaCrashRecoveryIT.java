package dev.spotbatch.e2e;

import java.util.List;

/**
 * The crash scenario on Kafka: the broker in the dispatcher's process keeps its logs under the data
 * directory, so queued items survive the crashes; leases held by killed workers come back when
 * their acquisition locks run out, and the reconciler stands by for anything lost.
 */
class KafkaCrashRecoveryIT extends AbstractCrashRecoveryIT {

  @Override
  protected List<String> brokerArguments() {
    return List.of(
        "--spotbatch.queue.type=kafka",
        "--spotbatch.embedded.kafka.enabled=true",
        // the workers' lease on Kafka is the acquisition lock: short, like the SQS lease here
        "--spotbatch.queue.kafka.lock-duration=10s");
  }

  @Override
  protected boolean brokerLosesMessagesOnCrash() {
    return false;
  }
}
