package dev.spotbatch.queue.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.codec.MessageCodec;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.queue.DeadLetter;
import dev.spotbatch.testing.ElasticMqServer;
import dev.spotbatch.testing.Samples;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link SqsDeadLetterQueue} on ElasticMQ's real redrive: a message received too often moves. */
class SqsDeadLetterQueueTest {
  private static ElasticMqServer server;

  @BeforeAll
  static void startServer() {
    server = ElasticMqServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void anItemWhoseLeasesRanOutIsReadFromTheDeadLetterQueueAndRemovedOnAcknowledge() {
    SqsQueues.QueueUrls urls = SqsQueues.ensure(server.client(), "w-" + UUID.randomUUID(), 1);
    MessageCodec codec = new MessageCodec();
    WorkItem item = Samples.item(3);
    server.client().sendMessage(b -> b.queueUrl(urls.queueUrl()).messageBody(codec.encode(item)));
    // two receives whose leases (visibility 0) run out at once: the second exceeds maxReceiveCount
    for (int i = 0; i < 3; i++) {
      server
          .client()
          .receiveMessage(b -> b.queueUrl(urls.queueUrl()).visibilityTimeout(0).waitTimeSeconds(1))
          .join();
    }
    try (SqsDeadLetterQueue dlq =
        new SqsDeadLetterQueue(
            server.client(), urls.deadLetterQueueUrl(), codec, SqsOptions.defaults())) {
      assertThat(dlq.depth()).isEqualTo(1);
      List<DeadLetter> letters = dlq.receive(10, Duration.ofSeconds(2));
      assertThat(letters).hasSize(1);
      assertThat(letters.get(0).item()).isEqualTo(item);
      assertThat(letters.get(0).reason()).contains("dead-letter queue", "-dlq", "lease ran out");

      dlq.acknowledge(letters);
      assertThat(dlq.depth()).isZero();
      assertThat(dlq.receive(10, Duration.ZERO)).isEmpty();
    }
  }

  @Test
  void anUndecodableMessageComesWithoutAnItemAndSaysWhy() {
    SqsQueues.QueueUrls urls = SqsQueues.ensure(server.client(), "w-" + UUID.randomUUID(), 1);
    server
        .client()
        .sendMessage(b -> b.queueUrl(urls.deadLetterQueueUrl()).messageBody("{not json"))
        .join();
    try (SqsDeadLetterQueue dlq =
        new SqsDeadLetterQueue(
            server.client(),
            urls.deadLetterQueueUrl(),
            new MessageCodec(),
            SqsOptions.defaults())) {
      List<DeadLetter> letters = dlq.receive(10, Duration.ofSeconds(2));
      assertThat(letters).hasSize(1);
      assertThat(letters.get(0).item()).isNull();
      assertThat(letters.get(0).reason()).startsWith("undecodable message");
    }
  }
}
