package dev.spotbatch.dispatcher.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.queue.QueueStats;
import dev.spotbatch.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BacklogMetricsTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AtomicInteger statsCalls = new AtomicInteger();
  private final AtomicReference<QueueStats> stats = new AtomicReference<>(QueueStats.of(7, 3, 2));
  private final AtomicReference<Optional<Instant>> oldest =
      new AtomicReference<>(Optional.of(Instant.parse("2026-12-02T09:58:30Z")));
  private final BacklogMetrics metrics =
      new BacklogMetrics(
              () -> {
                statsCalls.incrementAndGet();
                return stats.get();
              },
              oldest::get,
              Duration.ofSeconds(10),
              clock)
          .register(registry);

  private double gauge(String name, String state) {
    var search = registry.find(name);
    if (state != null) {
      search = search.tag("state", state);
    }
    return search.gauge().value();
  }

  @Test
  void reportsQueueDepthByStateAndTheOldestItemsAge() {
    assertThat(gauge("spotbatch.queue.items", "queued")).isEqualTo(10);
    assertThat(gauge("spotbatch.queue.items", "visible")).isEqualTo(7);
    assertThat(gauge("spotbatch.queue.items", "in_flight")).isEqualTo(3);
    assertThat(gauge("spotbatch.queue.items", "delayed")).isEqualTo(2);
    assertThat(gauge("spotbatch.backlog.oldest.age", null)).isEqualTo(90.0);
  }

  @Test
  void asksTheQueueAtMostOncePerRefreshInterval() {
    gauge("spotbatch.queue.items", "visible");
    gauge("spotbatch.queue.items", "in_flight");
    gauge("spotbatch.queue.items", "delayed");
    assertThat(statsCalls).hasValue(1);

    clock.advance(Duration.ofSeconds(10));
    stats.set(QueueStats.of(0, 1, 0));

    assertThat(gauge("spotbatch.queue.items", "visible")).isZero();
    assertThat(statsCalls).hasValue(2);
  }

  @Test
  void keepsTheLastValueWhenTheQueueFails() {
    gauge("spotbatch.queue.items", "visible");
    clock.advance(Duration.ofSeconds(11));
    stats.set(null);
    BacklogMetrics failing =
        new BacklogMetrics(
            () -> {
              throw new IllegalStateException("SQS down");
            },
            Optional::empty,
            Duration.ofSeconds(10),
            clock);

    assertThat(failing.queueStats()).isEqualTo(QueueStats.of(0, 0, 0));
    assertThat(failing.oldestAgeSeconds()).isZero();
  }

  @Test
  void aBrokerThatCannotTellLeasedFromWaitingReportsThemAsUnknown() {
    stats.set(QueueStats.withoutInFlight(5, 1));

    assertThat(gauge("spotbatch.queue.items", "queued")).isEqualTo(5);
    assertThat(gauge("spotbatch.queue.items", "visible")).isNaN();
    assertThat(gauge("spotbatch.queue.items", "in_flight")).isNaN();
    assertThat(gauge("spotbatch.queue.items", "delayed")).isEqualTo(1);
  }

  @Test
  void anEmptyBacklogIsZeroSecondsOld() {
    oldest.set(Optional.empty());
    clock.advance(Duration.ofSeconds(10));

    assertThat(metrics.oldestAgeSeconds()).isZero();
  }
}
