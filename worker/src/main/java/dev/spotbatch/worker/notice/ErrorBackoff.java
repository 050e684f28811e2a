package dev.spotbatch.worker.notice;

import java.time.Duration;

/**
 * How long a notice source waits after consecutive failures: the poll interval (at least {@code
 * min}) doubled per failure, capped at {@code max}. A pure policy; the monitor sleeps. The cap is
 * low because a spot notice gives only two minutes.
 */
public record ErrorBackoff(Duration min, Duration max) {
  public static final ErrorBackoff DEFAULT =
      new ErrorBackoff(Duration.ofSeconds(1), Duration.ofSeconds(10));

  public ErrorBackoff {
    if (min == null || max == null || min.isNegative() || max.compareTo(min) < 0) {
      throw new IllegalArgumentException("need 0 <= min <= max, was " + min + ", " + max);
    }
  }

  /**
   * The wait after {@code failures} (>= 1) consecutive failures of a source polled every {@code
   * interval}.
   */
  public Duration delay(Duration interval, int failures) {
    Duration base = interval.compareTo(min) > 0 ? interval : min;
    int shift = Math.min(Math.max(failures - 1, 0), 20);
    Duration d = base.multipliedBy(1L << shift);
    return d.compareTo(max) > 0 ? max : d;
  }
}
