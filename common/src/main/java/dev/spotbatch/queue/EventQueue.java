package dev.spotbatch.queue;

import dev.spotbatch.event.WorkerEvent;
import java.time.Duration;
import java.util.List;

/**
 * The worker-to-dispatcher event channel: workers publish, the dispatcher receives, applies (by
 * item id, idempotently) and acknowledges. Delivery is at-least-once.
 */
public interface EventQueue extends AutoCloseable {

  /** Publishes events; returns only once the broker has them. */
  void publish(List<WorkerEvent> events);

  /** Receives up to {@code max} events, waiting up to {@code wait} for the first. */
  List<EventDelivery> receive(int max, Duration wait);

  /** Acknowledges applied events so they are not delivered again. */
  void acknowledge(List<EventDelivery> deliveries);

  @Override
  void close();
}
