package dev.spotbatch.queue.sqs;

import dev.spotbatch.codec.MessageCodec;
import dev.spotbatch.testing.WorkQueueContract;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * Runs the work queue contract against {@link SqsWorkQueue} on LocalStack; skipped where there is
 * no Docker.
 */
@Testcontainers(disabledWithoutDocker = true)
class SqsWorkQueueLocalStackIT extends WorkQueueContract {
  @Container
  static final LocalStackContainer LOCALSTACK =
      new LocalStackContainer(DockerImageName.parse("localstack/localstack:4.4"))
          .withServices("sqs");

  private static SqsAsyncClient client;

  @BeforeAll
  static void connect() {
    client =
        SqsAsyncClient.builder()
            .endpointOverride(LOCALSTACK.getEndpoint())
            .region(Region.of(LOCALSTACK.getRegion()))
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(
                        LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey())))
            .build();
  }

  @AfterAll
  static void disconnect() {
    if (client != null) {
      client.close();
    }
  }

  @Override
  protected QueueUnderTest newQueue(int maxReceiveCount) {
    SqsQueues.QueueUrls urls =
        SqsQueues.ensure(client, "work-" + UUID.randomUUID(), maxReceiveCount);
    SqsWorkQueue queue =
        new SqsWorkQueue(
            client, urls.queueUrl(), new MessageCodec(), Clock.systemUTC(), SqsOptions.defaults());
    SqsWorkQueue dlq =
        new SqsWorkQueue(
            client,
            urls.deadLetterQueueUrl(),
            new MessageCodec(),
            Clock.systemUTC(),
            SqsOptions.defaults());
    return new QueueUnderTest(queue, queue, () -> dlq.stats().total());
  }
}
