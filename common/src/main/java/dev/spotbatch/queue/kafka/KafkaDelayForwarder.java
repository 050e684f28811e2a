package dev.spotbatch.queue.kafka;

import java.time.Clock;

/**
 * Moves retries whose delay is over from the delay-tier topics to the work topic. Runs where
 * capacity is stable (the dispatcher). (Being written.)
 */
public final class KafkaDelayForwarder implements AutoCloseable {
  public KafkaDelayForwarder(KafkaOptions options, Clock clock) {}

  /** Starts forwarding on a thread of its own. */
  public void start() {}

  @Override
  public void close() {}
}
