package dev.spotbatch.e2e;

import java.util.List;

/**
 * The crash scenario on SQS: ElasticMQ runs in the dispatcher's process and keeps messages in
 * memory, so each crash loses the queue and the reconciler must send the items again.
 */
class CrashRecoveryIT extends AbstractCrashRecoveryIT {
  private final int sqsPort = freePort();

  @Override
  protected List<String> brokerArguments() {
    return List.of("--spotbatch.queue.type=sqs", "--spotbatch.embedded.sqs.port=" + sqsPort);
  }

  @Override
  protected boolean brokerLosesMessagesOnCrash() {
    return true;
  }
}
