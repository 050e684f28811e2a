package dev.spotbatch.dispatcher.metrics;

import dev.spotbatch.queue.QueueStats;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backlog as gauges: {@code spotbatch.queue.items{state=queued|visible|in_flight|delayed}} from
 * the work queue's own statistics (visible and in flight are NaN where the broker cannot tell them
 * apart), and {@code spotbatch.backlog.oldest.age} (seconds since the oldest unfinished item last
 * changed, 0 when there is none) from the job store.
 *
 * <p>A scrape reads cached values: each source is asked at most once per {@code refresh} (one
 * GetQueueAttributes call, one query), and a failing source keeps its last value (logged at debug:
 * the queue's own health and circuit breaker report outages), so a scrape never waits on or fails
 * with the broker.
 */
public final class BacklogMetrics {
  private static final Logger log = LoggerFactory.getLogger(BacklogMetrics.class);

  private final Cached<QueueStats> stats;
  private final Cached<Optional<Instant>> oldest;
  private final Clock clock;

  /**
   * @param queueStats the work queue's statistics ({@code WorkSubmitter::stats})
   * @param oldestUnfinished when the oldest unfinished item last changed
   * @param refresh how long a value is reused
   */
  public BacklogMetrics(
      Supplier<QueueStats> queueStats,
      Supplier<Optional<Instant>> oldestUnfinished,
      Duration refresh,
      Clock clock) {
    this.clock = clock;
    this.stats = new Cached<>(queueStats, QueueStats.of(0, 0, 0), refresh, clock);
    this.oldest = new Cached<>(oldestUnfinished, Optional.empty(), refresh, clock);
  }

  /** Registers the gauges. */
  public BacklogMetrics register(MeterRegistry registry) {
    Gauge.builder("spotbatch.queue.items", this, m -> m.stats.get().queued())
        .tag("state", "queued")
        .description("work items on the queue, waiting or leased (not delayed)")
        .register(registry);
    Gauge.builder("spotbatch.queue.items", this, m -> orNaN(m.stats.get().visible()))
        .tag("state", "visible")
        .description("work items waiting to be leased (NaN where the broker cannot tell: Kafka)")
        .register(registry);
    Gauge.builder("spotbatch.queue.items", this, m -> orNaN(m.stats.get().inFlight()))
        .tag("state", "in_flight")
        .description("work items leased by workers (NaN where the broker cannot tell: Kafka)")
        .register(registry);
    Gauge.builder("spotbatch.queue.items", this, m -> m.stats.get().delayed())
        .tag("state", "delayed")
        .description("work items waiting out a retry delay")
        .register(registry);
    Gauge.builder("spotbatch.backlog.oldest.age", this, BacklogMetrics::oldestAgeSeconds)
        .baseUnit("seconds")
        .description("age of the oldest unfinished item (pending or running) since it last changed")
        .register(registry);
    return this;
  }

  /** Unknown is not zero: a gauge without a value reports NaN, which Prometheus keeps apart. */
  private static double orNaN(OptionalLong value) {
    return value.isPresent() ? value.getAsLong() : Double.NaN;
  }

  /** Seconds since the oldest unfinished item last changed; 0 when every item is final. */
  public double oldestAgeSeconds() {
    return oldest
        .get()
        .map(t -> Math.max(0, Duration.between(t, clock.instant()).toMillis() / 1000.0))
        .orElse(0.0);
  }

  /** The work queue's statistics as last read. */
  public QueueStats queueStats() {
    return stats.get();
  }

  /** A value read at most once per TTL; a failed read keeps the previous value. */
  private static final class Cached<T> {
    private final Supplier<T> source;
    private final Duration ttl;
    private final Clock clock;
    private T value;
    private Instant readAt;

    Cached(Supplier<T> source, T initial, Duration ttl, Clock clock) {
      this.source = source;
      this.value = initial;
      this.ttl = ttl;
      this.clock = clock;
    }

    synchronized T get() {
      Instant now = clock.instant();
      if (readAt == null || !now.isBefore(readAt.plus(ttl))) {
        readAt = now;
        try {
          value = source.get();
        } catch (RuntimeException e) {
          log.debug("backlog metric not refreshed: {}", e.toString());
        }
      }
      return value;
    }
  }
}
