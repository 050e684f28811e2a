package dev.spotbatch.queue.memory;

import dev.spotbatch.testing.WorkQueueContract;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The in-memory adapter passes the same contract as the broker adapters, on a fake clock. */
class InMemoryWorkQueueTest extends WorkQueueContract {
  private final MovableClock clock = new MovableClock();

  @Override
  protected QueueUnderTest newQueue(int maxReceiveCount) {
    InMemoryWorkQueue q = new InMemoryWorkQueue(clock, maxReceiveCount);
    return new QueueUnderTest(q, () -> q.deadLetters().size());
  }

  @Override
  protected void elapse(Duration time) {
    clock.advance(time);
  }

  @Override
  protected Duration quietWait() {
    return Duration.ofMillis(100);
  }

  /** A clock the test moves by hand. */
  static final class MovableClock extends Clock {
    private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
