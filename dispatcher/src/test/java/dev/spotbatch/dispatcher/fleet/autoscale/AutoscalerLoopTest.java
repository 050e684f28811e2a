package dev.spotbatch.dispatcher.fleet.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.dispatcher.Databases;
import dev.spotbatch.dispatcher.Fixture;
import dev.spotbatch.dispatcher.fleet.PoolView;
import dev.spotbatch.dispatcher.fleet.Throughput;
import dev.spotbatch.dispatcher.fleet.scaling.Autoscaler;
import dev.spotbatch.dispatcher.fleet.scaling.Decision;
import dev.spotbatch.dispatcher.fleet.scaling.DecisionCause;
import dev.spotbatch.dispatcher.fleet.scaling.ScalingSettings;
import dev.spotbatch.dispatcher.job.JobBacklog;
import dev.spotbatch.dispatcher.job.RecordSampler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The autoscaler wired to the job store, the work queue and a capacity provider, one tick at a time
 * with a mutable clock: a backlog brings workers, a notice brings a replacement at once, and
 * scale-in takes only idle workers, after the cool-down.
 */
class AutoscalerLoopTest {
  @TempDir Path dir;
  Fixture f;
  FakeFleet fleet;
  AutoscalerLoop loop;
  Throughput throughput;
  DataSource ds;

  @BeforeEach
  void setUp() {
    ds = Databases.h2();
    f = new Fixture(dir, ds);
    fleet = new FakeFleet(f.clock);
    throughput = new Throughput(f.clock, Duration.ofMinutes(2));
    ScalingSettings settings =
        ScalingSettings.builder()
            .minWorkers(0)
            .maxWorkers(3)
            .undatedDrainTarget(Duration.ofSeconds(60))
            .assumedRecordsPerSecondPerWorker(10)
            .scaleInCooldown(Duration.ofSeconds(20))
            .scaleInStabilization(Duration.ofSeconds(20))
            .build();
    loop =
        new AutoscalerLoop(
            new Autoscaler(settings, f.clock),
            fleet,
            new AutoscalerLoop.Sources(
                new JobBacklog(ds, RecordSampler.NONE),
                f.queue::stats,
                throughput,
                InterruptionRates.NONE,
                pool -> pool.lifecycle().name().equals("SPOT") ? 0.1 : 0.3),
            f.clock,
            Duration.ofSeconds(10),
            Duration.ofSeconds(10),
            f.meters);
  }

  void submitRecords(int n) {
    List<Map<String, Object>> records = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      records.add(Map.of("id", "r" + i, "text", "sentence number " + i + " of the test"));
    }
    var s = f.records(records);
    f.service.submit(
        new dev.spotbatch.dispatcher.job.JobSubmission(
            s.name(),
            s.model(),
            s.inputGiven(),
            s.inputUri(),
            s.inputFormat(),
            s.textField(),
            s.idField(),
            s.records(),
            s.outputGiven(),
            s.outputUri(),
            s.outputFormat(),
            1024L,
            null,
            s.task(),
            s.deadline(),
            s.priority()));
  }

  void tick(int seconds) {
    f.clock.advance(Duration.ofSeconds(seconds));
    loop.tick();
  }

  @Test
  void aBacklogBringsSpotWorkersAndEachChangeHasAReason() {
    loop.tick();
    assertThat(fleet.desired(FakeFleet.SPOT)).isZero();

    submitRecords(1000);
    tick(10);

    assertThat(fleet.desired(FakeFleet.SPOT)).isBetween(1, 3);
    assertThat(fleet.desired(FakeFleet.ON_DEMAND)).isZero();
    List<Decision> decisions = loop.decisions(10);
    assertThat(decisions).isNotEmpty();
    assertThat(decisions.get(0).cause()).isEqualTo(DecisionCause.SCALE_UP);
    assertThat(decisions.get(0).pool()).isEqualTo("t-spot");
    assertThat(decisions.get(0).reason()).contains("undated job");
    PoolView spot =
        loop.pools().stream().filter(p -> p.name().equals("t-spot")).findFirst().orElseThrow();
    assertThat(spot.desired()).isEqualTo(fleet.desired(FakeFleet.SPOT));
    assertThat(spot.usdPerHour()).isEqualTo(0.1);
    assertThat(
            f.meters
                .get("spotbatch.fleet.pool.workers")
                .tags("pool", "t-spot", "kind", "desired")
                .gauge()
                .value())
        .isEqualTo(fleet.desired(FakeFleet.SPOT));
    assertThat(
            f.meters
                .get("spotbatch.autoscaler.decisions")
                .tags("pool", "t-spot", "reason", "scale_up")
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void aNoticedWorkerIsReplacedAtOnceWhileItDrains() {
    submitRecords(1000);
    tick(10);
    fleet.allRunning(1);
    tick(10);
    int before = fleet.desired(FakeFleet.SPOT);
    String noticed = fleet.in(FakeFleet.SPOT).get(0).id;

    fleet.notice(noticed);
    tick(10);

    assertThat(fleet.desired(FakeFleet.SPOT)).isEqualTo(before + 1);
    assertThat(loop.decisions(1).get(0).cause()).isEqualTo(DecisionCause.REPLACEMENT);
    assertThat(loop.decisions(1).get(0).reason()).contains("replacing " + noticed);
  }

  @Test
  void scaleInTakesOnlyIdleWorkersAndOnlyAfterTheCoolDown() {
    submitRecords(1000);
    tick(10);
    fleet.allRunning(1);
    tick(10);
    assertThat(fleet.in(FakeFleet.SPOT)).hasSizeGreaterThanOrEqualTo(2);
    // the work is done (the queue and the store are emptied): one worker still holds a lease
    f.jobs.listJobs(null, 10).forEach(j -> f.service.cancel(j.id()));
    f.queue.lease(10_000, Duration.ZERO, Duration.ofMinutes(1)).forEach(f.queue::complete);
    List<FakeFleet.Worker> spot = fleet.in(FakeFleet.SPOT);
    String busy = spot.get(0).id;
    spot.stream().skip(1).forEach(w -> fleet.running(w.id, 0));

    for (int i = 0; i < 12; i++) {
      tick(10);
    }

    assertThat(fleet.scaledIn).isNotEmpty().doesNotContain(busy);
    assertThat(fleet.workers).containsKey(busy);
    assertThat(fleet.in(FakeFleet.SPOT)).hasSize(1);
    assertThat(loop.decisions(50))
        .anySatisfy(
            d -> {
              assertThat(d.cause()).isEqualTo(DecisionCause.SCALE_IN);
              assertThat(d.reason()).contains("removing idle");
            });

    fleet.running(busy, 0);
    for (int i = 0; i < 6; i++) {
      tick(10);
    }
    assertThat(fleet.in(FakeFleet.SPOT)).isEmpty();
    assertThat(fleet.desired(FakeFleet.SPOT)).isZero();
  }
}
