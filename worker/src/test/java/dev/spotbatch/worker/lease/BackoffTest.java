package dev.spotbatch.worker.lease;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void doublesPerFailureFromTheBase() {
    Backoff b =
        new Backoff(
            Duration.ofSeconds(5), Duration.ofMinutes(15), Duration.ofMinutes(15), 0, Random::new);
    assertThat(b.delay(1)).isEqualTo(Duration.ofSeconds(5));
    assertThat(b.delay(2)).isEqualTo(Duration.ofSeconds(10));
    assertThat(b.delay(4)).isEqualTo(Duration.ofSeconds(40));
  }

  @Test
  void capsAtTheSmallerOfMaxDelayAndTheQueueLimit() {
    Backoff b =
        new Backoff(
            Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofMinutes(15), 0, Random::new);
    assertThat(b.delay(10)).isEqualTo(Duration.ofMinutes(15));
    assertThat(b.delay(1000)).isEqualTo(Duration.ofMinutes(15));
    Backoff c =
        new Backoff(
            Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(15), 0, Random::new);
    assertThat(c.delay(5)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void jitterTakesOffAtMostItsShareUsingTheInjectedRandom() {
    Random fixed =
        new Random() {
          @Override
          public double nextDouble() {
            return 0.5;
          }
        };
    Backoff b =
        new Backoff(
            Duration.ofSeconds(8),
            Duration.ofMinutes(15),
            Duration.ofMinutes(15),
            0.5,
            () -> fixed);
    assertThat(b.delay(1)).isEqualTo(Duration.ofSeconds(6));
  }
}
