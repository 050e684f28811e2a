package dev.spotbatch.resilience;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How an adapter retries transient errors (exponential backoff with jitter) and when its circuit
 * breaker opens.
 *
 * @param maxAttempts calls in total, the first included (1 = no retry)
 * @param initialBackoff the wait before the first retry
 * @param multiplier how much each further wait grows
 * @param maxBackoff the longest single wait
 * @param failureRatePercent the share of failed calls (transient errors only) that opens the
 *     breaker
 * @param slidingWindowCalls how many recent calls the failure rate is measured over (and the least
 *     number of calls before the breaker may open)
 * @param openFor how long an open breaker rejects calls before it lets a few through to probe
 */
public record RetryOptions(
    int maxAttempts,
    Duration initialBackoff,
    double multiplier,
    Duration maxBackoff,
    float failureRatePercent,
    int slidingWindowCalls,
    Duration openFor) {

  public RetryOptions {
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(openFor, "openFor");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
    }
    if (initialBackoff.isNegative() || initialBackoff.isZero()) {
      throw new IllegalArgumentException("initialBackoff must be > 0, was " + initialBackoff);
    }
    if (multiplier < 1.0) {
      throw new IllegalArgumentException("multiplier must be >= 1, was " + multiplier);
    }
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "maxBackoff "
              + maxBackoff
              + " must not be shorter than initialBackoff "
              + initialBackoff);
    }
    if (!(failureRatePercent > 0 && failureRatePercent <= 100)) {
      throw new IllegalArgumentException(
          "failureRatePercent must be in (0, 100], was " + failureRatePercent);
    }
    if (slidingWindowCalls < 1) {
      throw new IllegalArgumentException(
          "slidingWindowCalls must be >= 1, was " + slidingWindowCalls);
    }
    if (openFor.isNegative() || openFor.isZero()) {
      throw new IllegalArgumentException("openFor must be > 0, was " + openFor);
    }
  }

  /**
   * The share of each retry wait taken off at random, so clients that failed together spread out.
   */
  public static final double JITTER = 0.5;

  /** The waits between attempts: exponential from the initial to the max backoff, with jitter. */
  public Backoff backoff() {
    return new Backoff(initialBackoff, maxBackoff, multiplier, JITTER, ThreadLocalRandom::current);
  }

  /**
   * 5 attempts, 100 ms doubling up to 5 s; the breaker opens at 50% of 20 calls for 10 s. An open
   * breaker probes the service again after 10 s, so work resumes at most ~10 s after an outage ends
   * (it was 30 s: a 10 s storage outage then stopped the work for 30 s more).
   */
  public static RetryOptions defaults() {
    return new RetryOptions(
        5, Duration.ofMillis(100), 2.0, Duration.ofSeconds(5), 50f, 20, Duration.ofSeconds(10));
  }

  /** The same options with a different number of attempts. */
  public RetryOptions withMaxAttempts(int attempts) {
    return new RetryOptions(
        attempts,
        initialBackoff,
        multiplier,
        maxBackoff,
        failureRatePercent,
        slidingWindowCalls,
        openFor);
  }

  /** The same options with a different first backoff (capped backoff grows with it if needed). */
  public RetryOptions withInitialBackoff(Duration backoff) {
    return new RetryOptions(
        maxAttempts,
        backoff,
        multiplier,
        maxBackoff.compareTo(backoff) < 0 ? backoff : maxBackoff,
        failureRatePercent,
        slidingWindowCalls,
        openFor);
  }
}
