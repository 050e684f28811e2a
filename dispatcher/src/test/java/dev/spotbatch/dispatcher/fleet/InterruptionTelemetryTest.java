package dev.spotbatch.dispatcher.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.spotbatch.dispatcher.Databases;
import dev.spotbatch.dispatcher.cost.CostReport;
import dev.spotbatch.dispatcher.cost.CostStore;
import dev.spotbatch.dispatcher.cost.MachineSession;
import dev.spotbatch.dispatcher.cost.PriceBook;
import dev.spotbatch.dispatcher.cost.SessionEnd;
import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.Lifecycle;
import dev.spotbatch.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Interruption rates per pool, measured from the machine sessions the fleet recorded. */
class InterruptionTelemetryTest {
  static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

  final CostStore store = new CostStore(Databases.h2());
  final MutableClock clock = new MutableClock(NOW);
  final InterruptionTelemetry telemetry =
      new InterruptionTelemetry(
          new CostReport(store, PriceBook.defaults(List.of(), PriceBook.LocalPricing.DEFAULT)),
          clock,
          Duration.ofDays(7),
          Duration.ofSeconds(30),
          1.0);

  static final Pool SPOT_A =
      new Pool("g5-a-spot", "aws", "g5.xlarge", "us-east-1a", Lifecycle.SPOT);
  static final Pool SPOT_B =
      new Pool("g5-b-spot", "aws", "g5.xlarge", "us-east-1b", Lifecycle.SPOT);
  static final Pool ON_DEMAND_A =
      new Pool("g5-a-od", "aws", "g5.xlarge", "us-east-1a", Lifecycle.ON_DEMAND);

  void machine(String id, Pool p, long hoursAgo, long hours, String interruption) {
    InstanceFacts facts =
        new InstanceFacts(p.provider(), id, p.instanceType(), "us-east-1", p.zone(), p.lifecycle());
    Instant start = NOW.minus(Duration.ofHours(hoursAgo));
    store.upsertSession(
        new MachineSession(
            id,
            "w-" + id,
            facts,
            null,
            start,
            start.plus(Duration.ofHours(hours)),
            interruption == null ? SessionEnd.STOPPED : SessionEnd.LOST,
            interruption));
  }

  @Test
  void ratesArePerPoolPerMachineHourAndCountOnlyCapacityTakenBack() {
    // pool A: 10 machine hours, two spot interruptions and a kill; a SIGTERM (scale-in) is no
    // interruption
    machine("a1", SPOT_A, 20, 4, "aws_spot_interruption");
    machine("a2", SPOT_A, 20, 3, "kill");
    machine("a3", SPOT_A, 20, 2, "aws_spot_interruption");
    machine("a4", SPOT_A, 20, 1, "sigterm");
    // pool B: half an hour, not enough to measure
    machine("b1", SPOT_B, 5, 0, null);
    store.upsertSession(
        new MachineSession(
            "b2",
            "w-b2",
            new InstanceFacts("aws", "b2", "g5.xlarge", "us-east-1", "us-east-1b", Lifecycle.SPOT),
            null,
            NOW.minus(Duration.ofMinutes(30)),
            null,
            SessionEnd.RUNNING,
            null));

    InterruptionTelemetry.Rate a = telemetry.rate(SPOT_A);
    assertThat(a.interruptions()).isEqualTo(3);
    assertThat(a.machineHours()).isCloseTo(10, within(1e-6));
    assertThat(telemetry.interruptionsPerHour(SPOT_A)).isCloseTo(0.3, within(1e-6));
    assertThat(a.measured()).isTrue();

    InterruptionTelemetry.Rate b = telemetry.rate(SPOT_B);
    assertThat(b.machineHours()).isCloseTo(0.5, within(1e-6));
    assertThat(b.perHour()).isZero();
    assertThat(b.measured()).isFalse();

    assertThat(telemetry.rate(ON_DEMAND_A)).isEqualTo(InterruptionTelemetry.Rate.NONE);
  }

  @Test
  void machinesOutsideTheWindowDoNotCountAndFiguresAreCachedBriefly() {
    machine("old", SPOT_A, 24 * 9, 4, "aws_spot_interruption");
    assertThat(telemetry.rate(SPOT_A)).isEqualTo(InterruptionTelemetry.Rate.NONE);

    machine("new", SPOT_A, 3, 2, "aws_spot_interruption");
    assertThat(telemetry.rate(SPOT_A)).isEqualTo(InterruptionTelemetry.Rate.NONE); // cached
    clock.advance(Duration.ofSeconds(31));
    assertThat(telemetry.interruptionsPerHour(SPOT_A)).isCloseTo(0.5, within(1e-6));
  }

  @Test
  void withNoRefreshIntervalEveryReadSeesTheMachineTimeJustRecorded() {
    InterruptionTelemetry uncached =
        new InterruptionTelemetry(
            new CostReport(store, PriceBook.defaults(List.of(), PriceBook.LocalPricing.DEFAULT)),
            clock,
            Duration.ofDays(7),
            Duration.ZERO,
            1.0);
    assertThat(uncached.rate(SPOT_A)).isEqualTo(InterruptionTelemetry.Rate.NONE);

    machine("now", SPOT_A, 3, 2, "aws_spot_interruption");

    assertThat(uncached.interruptionsPerHour(SPOT_A)).isCloseTo(0.5, within(1e-6));
  }

  @Test
  void aLocalPoolMatchesItsMachinesWhetherTheySayLocalOrAws() {
    Pool local = new Pool("local-spot", "local", "g5.xlarge", "local-1a", Lifecycle.SPOT);
    store.upsertSession(
        new MachineSession(
            "i-local-1-1",
            "local-1",
            new InstanceFacts(
                "aws", "i-local-1-1", "g5.xlarge", "local-1", "local-1a", Lifecycle.SPOT),
            null,
            NOW.minus(Duration.ofHours(3)),
            NOW.minus(Duration.ofHours(1)),
            SessionEnd.LOST,
            "kill"));
    assertThat(telemetry.rate(local).interruptions()).isEqualTo(1);
    assertThat(telemetry.interruptionsPerHour(local)).isCloseTo(0.5, within(1e-6));
  }
}
