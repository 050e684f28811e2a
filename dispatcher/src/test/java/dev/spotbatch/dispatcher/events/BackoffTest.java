package dev.spotbatch.dispatcher.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void doublesFromTheInitialWaitUpToTheMaximum() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
    assertThat(b.delay(0)).isZero();
    assertThat(b.delay(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(b.delay(2)).isEqualTo(Duration.ofMillis(200));
    assertThat(b.delay(4)).isEqualTo(Duration.ofMillis(800));
    assertThat(b.delay(5)).isEqualTo(Duration.ofSeconds(1));
    assertThat(b.delay(1000)).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void rejectsAMaximumBelowTheInitialWait() {
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
