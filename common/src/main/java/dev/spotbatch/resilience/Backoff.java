package dev.spotbatch.resilience;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff as a pure policy: the wait after the n-th consecutive failure is {@code
 * initial * multiplier^(n-1)}, capped at {@code max}, minus up to {@code jitter} of itself at
 * random (so jitter spreads retries out and never makes a wait longer than {@code max}). It returns
 * the wait; the caller sleeps (see {@link Sleeper}) or hands the wait to a queue as a delivery
 * delay. Randomness is injected so tests see exact waits. Immutable and thread-safe if the random
 * source is.
 */
public final class Backoff {
  private static final Supplier<RandomGenerator> NO_RANDOM = () -> () -> 0L;

  private final Duration initial;
  private final Duration max;
  private final double multiplier;
  private final double jitter;
  private final Supplier<? extends RandomGenerator> random;

  /**
   * @param initial the wait after the first failure ({@code > 0})
   * @param max the longest wait ({@code >= initial})
   * @param multiplier how much each further wait grows ({@code >= 1})
   * @param jitter the share in [0, 1] of each wait that is taken off at random (0: exact waits)
   * @param random the source of that randomness, asked once per wait
   */
  public Backoff(
      Duration initial,
      Duration max,
      double multiplier,
      double jitter,
      Supplier<? extends RandomGenerator> random) {
    Objects.requireNonNull(initial, "initial");
    Objects.requireNonNull(max, "max");
    Objects.requireNonNull(random, "random");
    if (initial.isNegative() || initial.isZero()) {
      throw new IllegalArgumentException("initial backoff must be > 0, was " + initial);
    }
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "max backoff " + max + " must not be shorter than the initial " + initial);
    }
    if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException("multiplier must be >= 1, was " + multiplier);
    }
    if (!(jitter >= 0 && jitter <= 1)) {
      throw new IllegalArgumentException("jitter must be in [0, 1], was " + jitter);
    }
    this.initial = initial;
    this.max = max;
    this.multiplier = multiplier;
    this.jitter = jitter;
    this.random = random;
  }

  /** Doubling from {@code initial} up to {@code max}, without jitter. */
  public static Backoff exponential(Duration initial, Duration max) {
    return new Backoff(initial, max, 2.0, 0.0, NO_RANDOM);
  }

  /** The same policy taking up to {@code jitter} of each wait off, drawn from {@code random}. */
  public Backoff withJitter(double jitter, Supplier<? extends RandomGenerator> random) {
    return new Backoff(initial, max, multiplier, jitter, random);
  }

  /**
   * The same policy never waiting longer than {@code limit} (e.g. the longest delay a queue
   * accepts); the first wait shrinks to the limit if it was longer.
   */
  public Backoff cappedAt(Duration limit) {
    Duration newMax = min(max, limit);
    return new Backoff(min(initial, newMax), newMax, multiplier, jitter, random);
  }

  /**
   * The same policy whose first wait is at least {@code floor} (never above {@code max}): a source
   * polled every 5 s should not be retried sooner after an error than it is polled without one.
   */
  public Backoff startingAt(Duration floor) {
    Duration first = floor.compareTo(initial) > 0 ? min(floor, max) : initial;
    return new Backoff(first, max, multiplier, jitter, random);
  }

  /** The wait after {@code failures} consecutive failures (1 = the first); zero for none. */
  public Duration delay(int failures) {
    if (failures <= 0) {
      return Duration.ZERO;
    }
    long maxMillis = max.toMillis();
    double raw = initial.toMillis() * Math.pow(multiplier, failures - 1);
    long capped = raw >= maxMillis || Double.isNaN(raw) ? maxMillis : (long) raw;
    if (jitter == 0) {
      return Duration.ofMillis(capped);
    }
    long off = (long) (capped * jitter * random.get().nextDouble());
    return Duration.ofMillis(Math.max(0, capped - off));
  }

  public Duration initial() {
    return initial;
  }

  public Duration max() {
    return max;
  }

  @Override
  public String toString() {
    return "Backoff[" + initial + " x" + multiplier + " up to " + max + ", jitter " + jitter + "]";
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
