package dev.spotbatch.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.event.WorkerEvent;
import dev.spotbatch.queue.EventDelivery;
import dev.spotbatch.queue.EventQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link EventQueue} adapter must show: at-least-once delivery until
 * acknowledged, bounded receives, redelivery of what was not acknowledged, and a message that is
 * not an event never blocks the others. A subclass gives a fresh queue per test.
 */
public abstract class EventQueueContract {
  protected EventQueue events;

  /** A fresh, empty event queue. */
  protected abstract EventQueue newQueue() throws Exception;

  /** Puts a raw message body on the queue under test, bypassing the codec. */
  protected abstract void sendRaw(String body) throws Exception;

  /** How long a receive may wait when the suite expects an event. */
  protected Duration patience() {
    return Duration.ofSeconds(1);
  }

  @BeforeEach
  void createQueue() throws Exception {
    events = newQueue();
  }

  @AfterEach
  void closeQueue() {
    if (events != null) {
      events.close();
    }
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

    List<EventDelivery> first = events.receive(12, patience());

    assertThat(first).hasSizeBetween(1, 12);
    events.acknowledge(first);
  }

  @Test
  void redeliversAnEventThatWasNotAcknowledged() {
    events.publish(List.of(Samples.completed(1)));
    List<EventDelivery> first = events.receive(1, patience());
    assertThat(first).hasSize(1);

    List<EventDelivery> again = events.receive(1, Duration.ofSeconds(5));

    assertThat(again).extracting(EventDelivery::event).containsExactly(Samples.completed(1));
    events.acknowledge(again);
    events.acknowledge(first); // stale handle: tolerated
  }

  @Test
  void skipsAMessageThatIsNotAnEventWithoutLosingTheOthers() throws Exception {
    sendRaw("not json");
    events.publish(List.of(Samples.failed(7)));

    List<EventDelivery> received = events.receive(10, patience());
    if (received.isEmpty()) {
      received = events.receive(10, patience());
    }

    assertThat(received).extracting(EventDelivery::event).containsExactly(Samples.failed(7));
  }

  @Test
  void waitsAndReturnsNothingWhenThereAreNoEvents() {
    assertThat(events.receive(5, Duration.ofSeconds(1))).isEmpty();
  }

  private List<EventDelivery> receiveAll(int count) {
    List<EventDelivery> all = new ArrayList<>();
    long until = System.nanoTime() + Duration.ofSeconds(10).plus(patience()).toNanos();
    while (all.size() < count && System.nanoTime() < until) {
      all.addAll(events.receive(count - all.size(), Duration.ofSeconds(1)));
    }
    return all;
  }
}
