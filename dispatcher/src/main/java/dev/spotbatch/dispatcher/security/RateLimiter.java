package dev.spotbatch.dispatcher.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** One token bucket per key, on an injected clock. */
public final class RateLimiter {
  private final Clock clock;
  private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  public RateLimiter(Clock clock) {
    this.clock = clock;
  }

  /** The answer: allowed, or refused with the time after which one request will be allowed. */
  public record Decision(boolean allowed, Duration retryAfter) {
    static final Decision ALLOWED = new Decision(true, Duration.ZERO);
  }

  /** Takes one request from the key's bucket, if there is one. */
  public Decision acquire(String key, RateLimit limit) {
    return buckets.computeIfAbsent(key, k -> new Bucket(limit, nanos())).take(limit, nanos());
  }

  private long nanos() {
    Instant now = clock.instant();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  private static final class Bucket {
    private double tokens;
    private long at;

    Bucket(RateLimit limit, long now) {
      this.tokens = limit.burst();
      this.at = now;
    }

    synchronized Decision take(RateLimit limit, long now) {
      if (now > at) {
        tokens = Math.min(limit.burst(), tokens + (now - at) / 1e9 * limit.perSecond());
        at = now;
      }
      if (tokens >= 1) {
        tokens -= 1;
        return Decision.ALLOWED;
      }
      long waitNanos = (long) Math.ceil((1 - tokens) / limit.perSecond() * 1e9);
      return new Decision(false, Duration.ofNanos(waitNanos));
    }
  }
}
