package dev.spotbatch.dispatcher.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerLeasesTest {
  private static final Instant T0 = Instant.parse("2026-12-02T08:00:00Z");

  private final MutableClock clock = new MutableClock(T0);
  private final LeaseEvents events = new LeaseEvents(clock);
  private final Map<String, String> running = new HashMap<>();
  private final WorkerLeases leases = new WorkerLeases(clock, Duration.ofHours(1), () -> running);

  @Test
  void aStartOpensALeaseAndItsEndClosesIt() {
    leases.observe(events.started("i-a", "it-1", T0));
    leases.observe(events.started("i-a", "it-2", T0));
    assertThat(leases.active("i-a")).isEqualTo(2);
    assertThat(leases.active("i-b")).isZero();

    leases.observe(events.completed("i-a", "it-1", T0));
    leases.observe(events.released("i-a", "it-2", T0));

    assertThat(leases.active("i-a")).isZero();
  }

  @Test
  void aLateOrRepeatedStartDoesNotReopenAnEndedLease() {
    var start = events.started("i-a", "it-1", T0);
    leases.observe(events.completed("i-a", "it-1", T0)); // arrived first
    leases.observe(start);
    leases.observe(start); // redelivered
    assertThat(leases.active("i-a")).isZero();
  }

  @Test
  void theSameItemLeasedAgainAfterAnOutageIsANewLease() {
    leases.observe(events.started("i-a", "it-1", T0));
    leases.observe(events.released("i-a", "it-1", T0)); // same attempts: an outage
    clock.advance(Duration.ofSeconds(30));

    leases.observe(events.started("i-a", "it-1", clock.instant()));

    assertThat(leases.active("i-a")).isEqualTo(1);
  }

  @Test
  void aStartElsewhereOrTheItemsSuccessEndsAHolderThatNeverReported() {
    leases.observe(events.started("i-a", "it-1", T0)); // i-a crashes, says nothing more
    leases.observe(events.started("i-b", "it-1", T0.plusSeconds(90)));
    assertThat(leases.active("i-a")).isZero();
    assertThat(leases.active("i-b")).isEqualTo(1);

    leases.observe(events.started("i-c", "it-2", T0));
    leases.observe(events.completed("i-d", "it-2", T0)); // a duplicate run completed it
    assertThat(leases.active("i-c")).isZero();
  }

  @Test
  void aStoppedWorkerHoldsNothing() {
    leases.observe(events.started("i-a", "it-1", T0));
    leases.observe(events.started("i-a", "it-2", T0));
    leases.observe(events.stopped("i-a"));
    assertThat(leases.active("i-a")).isZero();
  }

  @Test
  void itemsRunningAtStartUpCountForTheirLastReporter() {
    running.put("it-7", "i-a");
    running.put("it-8", "i-a");
    running.put("it-9", "i-b");

    assertThat(leases.active("i-a")).isEqualTo(2);
    leases.observe(events.completed("i-a", "it-7", T0.minusSeconds(60)));
    assertThat(leases.active("i-a")).isEqualTo(1);
    assertThat(leases.active("i-b")).isEqualTo(1);
  }

  @Test
  void anUnreadableSeedIsReadAgainOnNextUse() {
    int[] calls = {0};
    WorkerLeases late =
        new WorkerLeases(
            clock,
            Duration.ofHours(1),
            () -> {
              if (calls[0]++ == 0) {
                throw new IllegalStateException("no table yet");
              }
              return Map.of("it-1", "i-a");
            });
    assertThat(late.active("i-a")).isZero();
    assertThat(late.active("i-a")).isEqualTo(1);
    assertThat(late.active("i-a")).isEqualTo(1);
    assertThat(calls[0]).isEqualTo(2);
  }
}
