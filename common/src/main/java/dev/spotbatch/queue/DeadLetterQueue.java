package dev.spotbatch.queue;

import java.time.Duration;
import java.util.List;

/**
 * The dispatcher's end of the work queue's dead letters: receives what the broker gave up on, so
 * the item can be marked failed with its reason, then acknowledges it (it leaves the dead-letter
 * queue; the job store keeps the record). Delivery is at-least-once.
 */
public interface DeadLetterQueue extends AutoCloseable {

  /** Receives up to {@code max} dead letters, waiting up to {@code wait} for the first. */
  List<DeadLetter> receive(int max, Duration wait);

  /** Removes handled dead letters from the dead-letter queue. */
  void acknowledge(List<DeadLetter> letters);

  /** Approximate number of dead letters not yet acknowledged. */
  long depth();

  @Override
  void close();
}
