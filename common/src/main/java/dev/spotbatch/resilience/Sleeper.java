package dev.spotbatch.resilience;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How a loop waits between rounds; tests pass one that records the wait and returns at once, so a
 * retry loop is tested in milliseconds.
 */
@FunctionalInterface
public interface Sleeper {
  /** Waits {@code wait}; an interrupt ends the wait early with {@link InterruptedException}. */
  void sleep(Duration wait) throws InterruptedException;

  /** Sleeps the calling thread. */
  static Sleeper system() {
    return wait -> TimeUnit.NANOSECONDS.sleep(Math.max(0, wait.toNanos()));
  }
}
