package dev.spotbatch.queue.kafka;

import dev.spotbatch.codec.MessageCodec;
import dev.spotbatch.event.WorkerEvent;
import dev.spotbatch.queue.EventDelivery;
import dev.spotbatch.queue.EventQueue;
import java.time.Duration;
import java.util.List;

/** The {@link EventQueue} on a Kafka topic. (Being written.) */
public final class KafkaEventQueue implements EventQueue {
  public KafkaEventQueue(KafkaOptions options, MessageCodec codec) {}

  @Override
  public void publish(List<WorkerEvent> events) {
    throw new UnsupportedOperationException("not yet");
  }

  @Override
  public List<EventDelivery> receive(int max, Duration wait) {
    throw new UnsupportedOperationException("not yet");
  }

  @Override
  public void acknowledge(List<EventDelivery> deliveries) {
    throw new UnsupportedOperationException("not yet");
  }

  @Override
  public void close() {}
}
