package dev.spotbatch.queue.sqs;

import dev.spotbatch.codec.MessageCodec;
import dev.spotbatch.queue.EventQueue;
import dev.spotbatch.testing.ElasticMqServer;
import dev.spotbatch.testing.EventQueueContract;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The event queue contract on {@link SqsEventQueue} and an in-process ElasticMQ. */
class SqsEventQueueTest extends EventQueueContract {
  private static ElasticMqServer server;
  private SqsQueues.QueueUrls urls;

  @BeforeAll
  static void startServer() {
    server = ElasticMqServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Override
  protected EventQueue newQueue() {
    urls =
        SqsQueues.ensure(server.client(), "events-" + UUID.randomUUID(), 5, Duration.ofSeconds(2));
    return new SqsEventQueue(
        server.client(), urls.queueUrl(), new MessageCodec(), SqsOptions.defaults());
  }

  @Override
  protected void sendRaw(String body) {
    server.client().sendMessage(b -> b.queueUrl(urls.queueUrl()).messageBody(body)).join();
  }
}
