package dev.spotbatch.dispatcher.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final RateLimiter limiter = new RateLimiter(clock);

  @Test
  void aBurstIsAllowedThenTheNextRequestWaitsForOneRefill() {
    RateLimit limit = new RateLimit(2, 3);
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.acquire("k", limit).allowed()).isTrue();
    }
    RateLimiter.Decision refused = limiter.acquire("k", limit);
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.retryAfter()).isEqualTo(Duration.ofMillis(500));

    clock.advance(Duration.ofMillis(499));
    assertThat(limiter.acquire("k", limit).allowed()).isFalse();
    clock.advance(Duration.ofMillis(1));
    assertThat(limiter.acquire("k", limit).allowed()).isTrue();
    assertThat(limiter.acquire("k", limit).allowed()).isFalse();
  }

  @Test
  void theBucketRefillsNoHigherThanTheBurst() {
    RateLimit limit = new RateLimit(1, 2);
    clock.advance(Duration.ofHours(1));
    assertThat(limiter.acquire("k", limit).allowed()).isTrue();
    assertThat(limiter.acquire("k", limit).allowed()).isTrue();
    assertThat(limiter.acquire("k", limit).allowed()).isFalse();
  }

  @Test
  void eachKeyHasItsOwnBucket() {
    RateLimit limit = new RateLimit(0.1, 1);
    assertThat(limiter.acquire("a", limit).allowed()).isTrue();
    assertThat(limiter.acquire("a", limit).allowed()).isFalse();
    assertThat(limiter.acquire("a", limit).retryAfter()).isEqualTo(Duration.ofSeconds(10));
    assertThat(limiter.acquire("b", limit).allowed()).isTrue();
  }
}
