package dev.spotbatch.dispatcher.fleet.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The deadline sizing's corner cases found by the benchmark and the simulator: a paced dated job is
 * not a stuck queue, surplus on-demand workers stop leasing once spot carries the load, and a
 * departure that a rising target cancels out is still a decision.
 */
class DeadlineSizingTest {
  private static final Instant T0 = Instant.parse("2026-12-02T08:00:00Z");

  private final MutableClock clock = new MutableClock(T0);
  private final TestFleet fleet = new TestFleet(clock);

  private Autoscaler scaler() {
    return new Autoscaler(
        ScalingSettings.builder()
            .maxWorkers(10)
            .maxPoolShare(1.0)
            .maxPendingAge(Duration.ofMinutes(10))
            .scaleInCooldown(Duration.ofMinutes(2))
            .scaleInStabilization(Duration.ofMinutes(5))
            .build(),
        clock);
  }

  /** 100 rec/s (before headroom) for the hour before a deadline 65 min away: two workers. */
  private JobDemand pacedJob() {
    return new JobDemand("dated", 360_000, 100, T0.plus(Duration.ofMinutes(65)), 0);
  }

  @Test
  void aPacedDatedJobWhoseItemsWaitLongIsOnTrackNotStuck() {
    Autoscaler scaler = scaler();
    fleet.pool(TestFleet.spot("a", 0.5));
    fleet.job(pacedJob());
    assertThat(fleet.tick(scaler).desired("a")).isEqualTo(2);
    fleet.allPhase("a", WorkerPhase.BUSY);

    // its items wait their turn for longer than max-pending-age: by plan, not because of a fault
    clock.advance(Duration.ofMinutes(11));
    fleet.queue(new QueueSnapshot(90, 2L, Duration.ofMinutes(11)));
    ScalingPlan plan = fleet.tick(scaler);
    clock.advance(Duration.ofSeconds(10));
    ScalingPlan next = fleet.tick(scaler);

    assertThat(plan.desired("a")).isEqualTo(2);
    assertThat(next.desired("a")).isEqualTo(2);
    assertThat(plan.decisions()).isEmpty();
    assertThat(plan.jobs()).singleElement().satisfies(j -> assertThat(j.onTrack()).isTrue());
  }

  @Test
  void oldItemsBesideUndatedWorkStillAddAWorkerPerTick() {
    Autoscaler scaler = scaler();
    fleet.pool(TestFleet.spot("a", 0.5));
    fleet.job(pacedJob());
    fleet.job(new JobDemand("undated", 100, 1, null, 0));
    int before = fleet.tick(scaler).desired("a");

    clock.advance(Duration.ofSeconds(10));
    fleet.queue(new QueueSnapshot(90, 2L, Duration.ofMinutes(11)));
    ScalingPlan plan = fleet.tick(scaler);

    assertThat(plan.desired("a")).isEqualTo(before + 1);
    assertThat(plan.decisions().get(0).reason()).contains("the oldest queued item waited 11m");
  }

  @Test
  void aDatedJobFallingBehindWithOldItemsIsStuck() {
    Autoscaler scaler = scaler();
    fleet.pool(TestFleet.spot("a", 0.5));
    fleet.job(pacedJob());
    fleet.tick(scaler);
    fleet.allPhase("a", WorkerPhase.BUSY);
    // the records left grew (a slow input): two workers no longer meet the deadline
    clock.advance(Duration.ofMinutes(11));
    fleet.job(new JobDemand("dated", 1_500_000, 100, T0.plus(Duration.ofMinutes(65)), 0));
    fleet.queue(new QueueSnapshot(90, 2L, Duration.ofMinutes(11)));

    ScalingPlan plan = fleet.tick(scaler);

    assertThat(plan.desired("a")).isGreaterThan(2);
    assertThat(plan.decisions().get(0).reason()).contains("the oldest queued item waited");
  }

  @Test
  void surplusOnDemandWorkersStopLeasingOnceSpotCarriesTheLoadAndGoWhenIdle() {
    Autoscaler scaler = scaler();
    fleet.pool(TestFleet.spot("s", 0.30)).pool(TestFleet.onDemand("od", 1.00));
    fleet.job(pacedJob());
    fleet.launchesFail("s");
    fleet.tick(scaler);
    fleet.launchFailure("s", "InsufficientInstanceCapacity: no g5.xlarge in s-zone");
    assertThat(fleet.tick(scaler).desired("od")).isEqualTo(2);
    fleet.allPhase("od", WorkerPhase.BUSY);

    clock.advance(Duration.ofMinutes(4)); // the block expired
    fleet.launchesWork("s");
    ScalingPlan back = fleet.tick(scaler);
    assertThat(back.desired("s")).isEqualTo(2);
    assertThat(back.retirements()).as("inside the stabilization window").isEmpty();
    fleet.allPhase("s", WorkerPhase.BUSY);

    clock.advance(Duration.ofMinutes(6));
    ScalingPlan ask = fleet.tick(scaler);
    assertThat(ask.retirements()).extracting(WorkerRemoval::pool).containsExactly("od", "od");
    assertThat(ask.removals()).as("busy workers are never removed").isEmpty();
    assertThat(ask.desired("od")).as("they stay until idle").isEqualTo(2);
    assertThat(ask.decisions())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.cause()).isEqualTo(DecisionCause.STOP_LEASING);
              assertThat(d.pool()).isEqualTo("od");
              assertThat(d.from()).isEqualTo(d.to()).isEqualTo(2);
              assertThat(d.reason()).contains("spot carries the load again", "to stop leasing");
            });

    clock.advance(Duration.ofSeconds(10));
    ScalingPlan again = fleet.tick(scaler);
    assertThat(again.retirements()).hasSize(2);
    assertThat(again.decisions()).as("asked once, written once").isEmpty();

    fleet.allPhase("od", WorkerPhase.IDLE);
    clock.advance(Duration.ofSeconds(10));
    ScalingPlan gone = fleet.tick(scaler);
    assertThat(gone.removals()).hasSize(2).allSatisfy(r -> assertThat(r.pool()).isEqualTo("od"));
    assertThat(gone.desired("od")).isZero();
    assertThat(gone.desired("s")).isEqualTo(2);
  }

  @Test
  void busyOnDemandWorkersKeepLeasingWhileSpotWorkersAreStillStarting() {
    Autoscaler scaler = scaler();
    fleet.pool(TestFleet.spot("s", 0.30)).pool(TestFleet.onDemand("od", 1.00));
    fleet.job(pacedJob());
    fleet.launchesFail("s");
    fleet.tick(scaler);
    fleet.launchFailure("s", "InsufficientInstanceCapacity");
    fleet.tick(scaler);
    fleet.allPhase("od", WorkerPhase.BUSY);
    clock.advance(Duration.ofMinutes(4));
    fleet.launchesWork("s");
    fleet.tick(scaler);
    fleet.allPhase("s", WorkerPhase.STARTING);

    clock.advance(Duration.ofMinutes(6));
    ScalingPlan plan = fleet.tick(scaler);

    assertThat(plan.retirements()).isEmpty();
  }

  @Test
  void aDepartureThatARisingTargetCancelsOutIsStillADecision() {
    Autoscaler scaler = scaler();
    fleet.pool(TestFleet.spot("a", 0.5));
    fleet.job(pacedJob());
    fleet.tick(scaler);
    fleet.allPhase("a", WorkerPhase.BUSY);
    String noticed = fleet.workers("a").get(0).id();
    clock.advance(Duration.ofSeconds(10));
    fleet.notice(noticed);
    assertThat(fleet.tick(scaler).desired("a")).isEqualTo(3); // 2 working + 1 leaving

    // the leaver is gone in the same tick as the need rises by one worker: still 3 wanted
    clock.advance(Duration.ofSeconds(10));
    fleet.gone(noticed);
    fleet.job(new JobDemand("dated", 720_000, 100, T0.plus(Duration.ofMinutes(65)), 0));
    ScalingPlan plan = fleet.tick(scaler);

    assertThat(plan.desired("a")).isEqualTo(3);
    assertThat(plan.decisions())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.from()).isEqualTo(3);
              assertThat(d.to()).isEqualTo(3);
              assertThat(d.cause()).isEqualTo(DecisionCause.SCALE_UP);
              assertThat(d.reason()).contains("working 2 -> 3", "1 leaving worker(s) gone");
            });
  }

  @Test
  void aWorkerLostWithoutNoticeIsReplacedAndThatIsADecision() {
    Autoscaler scaler = scaler();
    fleet.pool(TestFleet.spot("a", 0.5));
    fleet.job(pacedJob());
    fleet.tick(scaler);
    fleet.allPhase("a", WorkerPhase.BUSY);
    String killed = fleet.workers("a").get(0).id();

    clock.advance(Duration.ofSeconds(10));
    fleet.lost(killed); // SIGKILL: gone before any tick saw a notice
    ScalingPlan plan = fleet.tick(scaler);

    assertThat(plan.desired("a")).isEqualTo(2);
    assertThat(fleet.workers("a")).hasSize(2);
    assertThat(plan.decisions())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.cause()).isEqualTo(DecisionCause.REPLACEMENT);
              assertThat(d.from()).isEqualTo(1);
              assertThat(d.to()).isEqualTo(2);
              assertThat(d.reason()).contains("left without a notice seen", "replacing");
            });
  }
}
