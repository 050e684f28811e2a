package dev.spotbatch.e2e;

import dev.spotbatch.local.EmbeddedSqsServer;
import dev.spotbatch.queue.sqs.SqsQueues;
import java.net.URI;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The chaos scenario on SQS: the dispatcher's embedded ElasticMQ, with its redrive DLQ; the broker
 * is restarted alone (empty) and then with the dispatcher.
 */
class ChaosIT extends AbstractChaosIT {
  private final int sqsPort = freePort();

  @Override
  protected List<String> brokerArguments() {
    return List.of("--spotbatch.queue.type=sqs", "--spotbatch.embedded.sqs.port=" + sqsPort);
  }

  /**
   * Restarts the dispatcher's ElasticMQ on its port: it comes back empty, as an in-memory broker
   * does, and the queues are created again as the embedded default creates them at start.
   * Everything queued or in flight is lost; the reconciler sends it again.
   */
  @Override
  protected boolean restartBroker() {
    dispatcher.getBean(EmbeddedSqsServer.class).restart();
    try (SqsAsyncClient sqs = client()) {
      SqsQueues.ensure(sqs, "spotbatch-work", 10);
      SqsQueues.ensure(sqs, "spotbatch-events", 10);
    }
    return true;
  }

  private SqsAsyncClient client() {
    return SqsAsyncClient.builder()
        .endpointOverride(URI.create("http://127.0.0.1:" + sqsPort))
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        .build();
  }

  /** The chunk,embed chain rides along here (the quicker of the two chaos runs). */
  @Override
  protected boolean withChunkEmbedJob() {
    return true;
  }

  /** Visible plus in-flight messages of {@code spotbatch-work-dlq}. */
  @Override
  protected long deadLetters() {
    try (SqsAsyncClient sqs = client()) {
      String url = sqs.getQueueUrl(b -> b.queueName("spotbatch-work-dlq")).join().queueUrl();
      Map<QueueAttributeName, String> attributes =
          sqs.getQueueAttributes(
                  b ->
                      b.queueUrl(url)
                          .attributeNames(
                              QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                              QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
              .join()
              .attributes();
      return Long.parseLong(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
          + Long.parseLong(
              attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }
  }
}
