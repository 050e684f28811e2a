package dev.spotbatch.queue.sqs;

import dev.spotbatch.codec.MessageCodec;
import dev.spotbatch.testing.ElasticMqServer;
import dev.spotbatch.testing.WorkQueueContract;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/** Runs the work queue contract against {@link SqsWorkQueue} on an in-process ElasticMQ. */
@Execution(ExecutionMode.CONCURRENT)
class SqsWorkQueueTest extends WorkQueueContract {
  private static ElasticMqServer server;

  @BeforeAll
  static void startServer() {
    server = ElasticMqServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Override
  protected QueueUnderTest newQueue(int maxReceiveCount) {
    SqsQueues.QueueUrls urls =
        SqsQueues.ensure(server.client(), "work-" + UUID.randomUUID(), maxReceiveCount);
    SqsWorkQueue queue =
        new SqsWorkQueue(
            server.client(),
            urls.queueUrl(),
            new MessageCodec(),
            Clock.systemUTC(),
            SqsOptions.defaults());
    SqsWorkQueue dlq =
        new SqsWorkQueue(
            server.client(),
            urls.deadLetterQueueUrl(),
            new MessageCodec(),
            Clock.systemUTC(),
            SqsOptions.defaults());
    return new QueueUnderTest(queue, queue, () -> dlq.stats().total());
  }
}
