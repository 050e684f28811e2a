package dev.spotbatch.queue.kafka;

import dev.spotbatch.codec.MessageCodec;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.queue.Lease;
import dev.spotbatch.queue.QueueStats;
import dev.spotbatch.queue.WorkQueue;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** The {@link WorkQueue} on a Kafka share group. (Being written.) */
public final class KafkaShareWorkQueue implements WorkQueue {
  public KafkaShareWorkQueue(KafkaOptions options, MessageCodec codec, Clock clock) {}

  @Override
  public void send(List<WorkItem> items) {
    throw new UnsupportedOperationException("not yet");
  }

  @Override
  public List<Lease> lease(int max, Duration wait, Duration leaseTime) {
    throw new UnsupportedOperationException("not yet");
  }

  @Override
  public Lease extend(Lease lease, Duration leaseTime) {
    throw new UnsupportedOperationException("not yet");
  }

  @Override
  public void complete(Lease lease) {
    throw new UnsupportedOperationException("not yet");
  }

  @Override
  public void requeue(Lease lease, WorkItem next, Duration delay) {
    throw new UnsupportedOperationException("not yet");
  }

  @Override
  public QueueStats stats() {
    throw new UnsupportedOperationException("not yet");
  }

  @Override
  public Duration maxDelay() {
    return Duration.ofMinutes(15);
  }

  @Override
  public void close() {}
}
