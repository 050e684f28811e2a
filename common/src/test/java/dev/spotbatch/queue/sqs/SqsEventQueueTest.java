package dev.spotbatch.queue.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.codec.MessageCodec;
import dev.spotbatch.event.WorkerEvent;
import dev.spotbatch.queue.EventDelivery;
import dev.spotbatch.testing.ElasticMqServer;
import dev.spotbatch.testing.Samples;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link SqsEventQueue} on an in-process ElasticMQ. */
class SqsEventQueueTest {
  private static ElasticMqServer server;
  private SqsQueues.QueueUrls urls;
  private SqsEventQueue events;

  @BeforeAll
  static void startServer() {
    server = ElasticMqServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void createQueue() {
    urls =
        SqsQueues.ensure(server.client(), "events-" + UUID.randomUUID(), 5, Duration.ofSeconds(2));
    events =
        new SqsEventQueue(
            server.client(), urls.queueUrl(), new MessageCodec(), SqsOptions.defaults());
  }

  @Test
  void deliversPublishedEventsUntilAcknowledged() {
    List<WorkerEvent> published = new ArrayList<>();
    for (int i = 0; i < 13; i++) {
      published.add(i % 2 == 0 ? Samples.completed(i) : Samples.failed(i));
    }
    events.publish(published);

    List<EventDelivery> received = receiveAll(13);

    assertThat(received)
        .extracting(EventDelivery::event)
        .containsExactlyInAnyOrderElementsOf(published);
    events.acknowledge(received);
    assertThat(events.receive(10, Duration.ofSeconds(3))).isEmpty();
  }

  @Test
  void neverReceivesMoreThanAskedFor() {
    List<WorkerEvent> published = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      published.add(Samples.completed(i));
    }
    events.publish(published);

    List<EventDelivery> first = events.receive(12, Duration.ofSeconds(1));

    assertThat(first).hasSizeBetween(1, 12);
    events.acknowledge(first);
  }

  @Test
  void redeliversAnEventThatWasNotAcknowledged() {
    events.publish(List.of(Samples.completed(1)));
    List<EventDelivery> first = events.receive(1, Duration.ofSeconds(1));
    assertThat(first).hasSize(1);

    List<EventDelivery> again = events.receive(1, Duration.ofSeconds(5));

    assertThat(again).extracting(EventDelivery::event).containsExactly(Samples.completed(1));
    events.acknowledge(again);
    events.acknowledge(first); // stale handle: tolerated
  }

  @Test
  void skipsAMessageThatIsNotAnEventWithoutLosingTheOthers() {
    server.client().sendMessage(b -> b.queueUrl(urls.queueUrl()).messageBody("not json")).join();
    events.publish(List.of(Samples.failed(7)));

    List<EventDelivery> received = events.receive(10, Duration.ofSeconds(1));
    if (received.isEmpty()) {
      received = events.receive(10, Duration.ofSeconds(1));
    }

    assertThat(received).extracting(EventDelivery::event).containsExactly(Samples.failed(7));
  }

  @Test
  void waitsAndReturnsNothingWhenThereAreNoEvents() {
    assertThat(events.receive(5, Duration.ofSeconds(1))).isEmpty();
  }

  private List<EventDelivery> receiveAll(int count) {
    List<EventDelivery> all = new ArrayList<>();
    long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (all.size() < count && System.nanoTime() < until) {
      all.addAll(events.receive(count - all.size(), Duration.ofSeconds(1)));
    }
    return all;
  }
}
