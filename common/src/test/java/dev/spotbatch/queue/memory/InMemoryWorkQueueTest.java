package dev.spotbatch.queue.memory;

import dev.spotbatch.testing.MutableClock;
import dev.spotbatch.testing.WorkQueueContract;
import java.time.Duration;
import java.time.Instant;

/** The in-memory adapter passes the same contract as the broker adapters, on a fake clock. */
class InMemoryWorkQueueTest extends WorkQueueContract {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  @Override
  protected QueueUnderTest newQueue(int maxReceiveCount) {
    InMemoryWorkQueue q = new InMemoryWorkQueue(clock, maxReceiveCount);
    return new QueueUnderTest(q, q, () -> q.deadLetters().size());
  }

  @Override
  protected void elapse(Duration time) {
    clock.advance(time);
  }

  @Override
  protected Duration quietWait() {
    return Duration.ofMillis(100);
  }
}
