package dev.spotbatch.worker.lease;

import java.time.Duration;
import java.util.Random;
import java.util.function.Supplier;

/**
 * The retry wait after a failure, as a pure policy: {@code base * 2^(failures-1)}, capped at the
 * smaller of {@code maxDelay} and the queue's longest delay, minus up to {@code jitter} of itself
 * at random. It returns the wait; the caller never sleeps (the queue holds the item back).
 */
public final class Backoff {
  private final Duration base;
  private final Duration cap;
  private final double jitter;
  private final Supplier<Random> random;

  /**
   * @param jitter fraction in [0, 1] of the delay that is randomised away (0: exact)
   */
  public Backoff(
      Duration base,
      Duration maxDelay,
      Duration queueMaxDelay,
      double jitter,
      Supplier<Random> random) {
    if (base.isNegative() || base.isZero()) {
      throw new IllegalArgumentException("retry base delay must be > 0");
    }
    if (jitter < 0 || jitter > 1) {
      throw new IllegalArgumentException("jitter must be in [0, 1]");
    }
    this.base = base;
    this.cap = maxDelay.compareTo(queueMaxDelay) <= 0 ? maxDelay : queueMaxDelay;
    this.jitter = jitter;
    this.random = random;
  }

  /** The wait before attempt {@code failures + 1}, given {@code failures >= 1} failures so far. */
  public Duration delay(int failures) {
    int exponent = Math.max(0, Math.min(failures - 1, 30));
    long millis = base.toMillis();
    long capMillis = cap.toMillis();
    long raw =
        millis > (capMillis >> exponent) ? capMillis : Math.min(capMillis, millis << exponent);
    long jittered = raw - (long) (raw * jitter * random.get().nextDouble());
    return Duration.ofMillis(Math.max(0, jittered));
  }

  public Duration cap() {
    return cap;
  }
}
