package dev.spotbatch.dispatcher.events;

import java.time.Duration;

/**
 * Exponential backoff as a pure policy: returns how long to wait after the n-th consecutive
 * failure; the caller does the waiting.
 */
public record Backoff(Duration initial, Duration max) {
  public Backoff {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 < initial <= max");
    }
  }

  /** The wait after {@code failures} consecutive failures (1 = the first). */
  public Duration delay(int failures) {
    if (failures <= 0) {
      return Duration.ZERO;
    }
    int shift = Math.min(failures - 1, 30);
    long ms = initial.toMillis() << shift;
    return ms <= 0 || ms > max.toMillis() ? max : Duration.ofMillis(ms);
  }
}
