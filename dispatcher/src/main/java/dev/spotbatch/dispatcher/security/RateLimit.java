package dev.spotbatch.dispatcher.security;

/**
 * A token bucket's settings: {@code burst} requests at once, refilled at {@code perSecond}.
 *
 * @param perSecond sustained requests per second, above 0
 * @param burst requests allowed at once, at least 1
 */
public record RateLimit(double perSecond, int burst) {
  public RateLimit {
    if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
      throw new IllegalArgumentException(
          "a rate limit needs requests-per-second above 0, was " + perSecond);
    }
    if (burst < 1) {
      throw new IllegalArgumentException("a rate limit needs a burst of at least 1, was " + burst);
    }
  }
}
