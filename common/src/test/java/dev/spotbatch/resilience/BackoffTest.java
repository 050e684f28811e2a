package dev.spotbatch.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static final Duration MS100 = Duration.ofMillis(100);

  /** A random source that always draws {@code value} from nextDouble and counts its draws. */
  private static final class Fixed implements RandomGenerator {
    final double value;
    final AtomicInteger draws = new AtomicInteger();

    Fixed(double value) {
      this.value = value;
    }

    @Override
    public long nextLong() {
      throw new UnsupportedOperationException();
    }

    @Override
    public double nextDouble() {
      draws.incrementAndGet();
      return value;
    }
  }

  @Test
  void doublesFromTheInitialWaitUpToTheMaximum() {
    Backoff b = Backoff.exponential(MS100, Duration.ofSeconds(1));
    assertThat(b.delay(0)).isZero();
    assertThat(b.delay(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(b.delay(2)).isEqualTo(Duration.ofMillis(200));
    assertThat(b.delay(4)).isEqualTo(Duration.ofMillis(800));
    assertThat(b.delay(5)).isEqualTo(Duration.ofSeconds(1));
    assertThat(b.delay(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void growsByTheGivenMultiplier() {
    Backoff b = new Backoff(MS100, Duration.ofSeconds(10), 3.0, 0, () -> new Fixed(0));
    assertThat(b.delay(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(b.delay(2)).isEqualTo(Duration.ofMillis(300));
    assertThat(b.delay(3)).isEqualTo(Duration.ofMillis(900));
  }

  @Test
  void jitterTakesOffAtMostItsShareUsingTheInjectedRandom() {
    Fixed half = new Fixed(0.5);
    Backoff b = Backoff.exponential(Duration.ofSeconds(8), Duration.ofMinutes(1));
    assertThat(b.withJitter(0.5, () -> half).delay(1)).isEqualTo(Duration.ofSeconds(6));
    assertThat(b.withJitter(0.5, () -> new Fixed(0.999_999)).delay(1))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(4));
    assertThat(b.withJitter(1.0, () -> new Fixed(0.0)).delay(1)).isEqualTo(Duration.ofSeconds(8));
    assertThat(half.draws).hasValue(1);
  }

  @Test
  void jitterNeverMakesAWaitLongerThanTheMaximum() {
    Backoff b =
        Backoff.exponential(MS100, Duration.ofSeconds(1)).withJitter(0.5, () -> new Fixed(0.0));
    assertThat(b.delay(30)).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void cappedAtLowersTheMaximumAndIfNeededTheFirstWait() {
    Backoff b = Backoff.exponential(Duration.ofSeconds(5), Duration.ofHours(1));
    assertThat(b.cappedAt(Duration.ofMinutes(15)).delay(10)).isEqualTo(Duration.ofMinutes(15));
    assertThat(b.cappedAt(Duration.ofHours(2)).delay(1000)).isEqualTo(Duration.ofHours(1));
    Backoff tight = b.cappedAt(Duration.ofSeconds(2));
    assertThat(tight.delay(1)).isEqualTo(Duration.ofSeconds(2));
    assertThat(tight.max()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void startingAtRaisesTheFirstWaitToTheFloorButNotAboveTheMaximum() {
    Backoff b = Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(10));
    assertThat(b.startingAt(Duration.ofMillis(200)).delay(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(b.startingAt(Duration.ofSeconds(2)).delay(3)).isEqualTo(Duration.ofSeconds(8));
    assertThat(b.startingAt(Duration.ofMinutes(1)).delay(1)).isEqualTo(Duration.ofSeconds(10));
    assertThat(b.startingAt(Duration.ofSeconds(1)).delay(30)).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void rejectsSettingsThatMakeNoSense() {
    assertThatThrownBy(() -> Backoff.exponential(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be shorter");
    assertThatThrownBy(() -> Backoff.exponential(Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(MS100, MS100, 0.5, 0, () -> new Fixed(0)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(MS100, MS100, 2, 1.5, () -> new Fixed(0)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
