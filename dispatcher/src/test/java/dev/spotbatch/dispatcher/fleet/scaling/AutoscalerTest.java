package dev.spotbatch.dispatcher.fleet.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotbatch.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AutoscalerTest {
  private static final Instant T0 = Instant.parse("2026-12-02T08:00:00Z");
  private static final String ICE =
      "InsufficientInstanceCapacity: We currently do not have sufficient g5.xlarge capacity in the"
          + " Availability Zone you requested (us-east-1a).";

  private final MutableClock clock = new MutableClock(T0);
  private final TestFleet fleet = new TestFleet(clock);

  // 100 rec/s per worker (assumed), 0.05 interruptions/h x 3 min rework: 99.75 rec/s effective;
  // with the 1.1 headroom a worker covers a need of up to ~90 rec/s.
  private Autoscaler scaler(ScalingSettings.Builder settings) {
    return new Autoscaler(settings.build(), clock);
  }

  private static ScalingSettings.Builder settings() {
    return ScalingSettings.builder().maxWorkers(10).maxPoolShare(1.0);
  }

  /** A job that needs {@code rate} rec/s (before headroom) for the hour before its deadline. */
  private JobDemand deadlineJob(String id, double rate) {
    long records = (long) (rate * 3600);
    return new JobDemand(id, records, 100, clock.instant().plus(Duration.ofMinutes(65)), 0);
  }

  private void advance(Duration d) {
    clock.advance(d);
  }

  @Test
  void sizesTheFleetToFinishAJobBeforeItsDeadline() {
    Autoscaler scaler = scaler(settings());
    fleet.pool(TestFleet.spot("a", 0.5));
    fleet.job(deadlineJob("j1", 100)); // 110 rec/s with headroom: two workers

    ScalingPlan plan = fleet.tick(scaler);

    assertThat(plan.desired("a")).isEqualTo(2);
    assertThat(plan.jobs()).singleElement().satisfies(j -> assertThat(j.onTrack()).isTrue());
    assertThat(plan.decisions())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.cause()).isEqualTo(DecisionCause.SCALE_UP);
              assertThat(d.from()).isZero();
              assertThat(d.to()).isEqualTo(2);
              assertThat(d.reason()).contains("job j1 needs 110 rec/s", "a: $");
            });
  }

  @Test
  void aDeadlineThatEvenTheMaximumCannotMeetIsReportedAtRisk() {
    Autoscaler scaler = scaler(settings().maxWorkers(3));
    fleet.pool(TestFleet.spot("a", 0.5));
    fleet.job(deadlineJob("big", 2_000));

    ScalingPlan plan = fleet.tick(scaler);

    assertThat(plan.desired("a")).isEqualTo(3);
    assertThat(plan.jobs()).singleElement().satisfies(j -> assertThat(j.onTrack()).isFalse());
    assertThat(plan.decisions().get(0).reason()).contains("short of the need");
  }

  @Test
  void aPastDeadlineScalesToTheMaximumButNotBeyondTheItemsLeft() {
    Autoscaler scaler = scaler(settings().maxWorkers(8));
    fleet.pool(TestFleet.spot("a", 0.5));
    fleet.job(new JobDemand("late", 1_000, 3, T0.plus(Duration.ofMinutes(2)), 0));

    ScalingPlan plan = fleet.tick(scaler);

    assertThat(plan.desired("a")).as("one worker per item left at most").isEqualTo(3);
    assertThat(plan.requiredRecordsPerSecond()).isInfinite();
  }

  @Test
  void aJobWithoutDeadlineDrainsWithinTheTarget() {
    Autoscaler scaler = scaler(settings().undatedDrainTarget(Duration.ofMinutes(15)));
    fleet.pool(TestFleet.spot("a", 0.5));
    fleet.job(new JobDemand("u", 90_000, 50, null, 0)); // 100 rec/s over 15 min

    ScalingPlan plan = fleet.tick(scaler);

    assertThat(plan.desired("a")).isEqualTo(2);
    assertThat(plan.plannedRecordsPerSecond() * Duration.ofMinutes(15).toSeconds())
        .isGreaterThanOrEqualTo(90_000);
    assertThat(plan.jobs()).singleElement().satisfies(j -> assertThat(j.onTrack()).isNull());
  }

  @Test
  void keepsBetweenMinimumAndMaximum() {
    Autoscaler scaler = scaler(settings().minWorkers(2).maxWorkers(4));
    fleet.pool(TestFleet.spot("a", 0.5));

    assertThat(fleet.tick(scaler).totalDesired()).as("no work: the minimum").isEqualTo(2);

    fleet.job(new JobDemand("u", 50_000_000, 10_000, null, 0));
    assertThat(fleet.tick(scaler).totalDesired()).as("endless work: the maximum").isEqualTo(4);
  }

  @Test
  void theFirstWorkersAreOnDemandUpToTheBaseAndSpotAbove() {
    Autoscaler scaler = scaler(settings().onDemandBase(1));
    fleet.pool(TestFleet.spot("s", 0.3)).pool(TestFleet.onDemand("od", 1.0));
    fleet.job(deadlineJob("j", 150)); // two workers

    ScalingPlan plan = fleet.tick(scaler);

    assertThat(plan.desired("od")).isEqualTo(1);
    assertThat(plan.desired("s")).isEqualTo(1);
    assertThat(plan.mode()).isEqualTo(CapacityMode.SPOT);
  }

  @Test
  void spreadsSpotWorkersOverPoolsCheapestFirst() {
    fleet
        .pool(TestFleet.spot("a", 0.30))
        .pool(TestFleet.spot("b", 0.33))
        .pool(TestFleet.spot("c", 0.36));
    fleet.job(deadlineJob("j", 300)); // 330 rec/s: four workers

    ScalingPlan spread = fleet.snapshotPlan(scaler(settings().maxPoolShare(0.34)));
    assertThat(spread.desired("a")).isEqualTo(2);
    assertThat(spread.desired("b")).isEqualTo(1);
    assertThat(spread.desired("c")).isEqualTo(1);

    ScalingPlan cheapestOnly = fleet.snapshotPlan(scaler(settings().maxPoolShare(1.0)));
    assertThat(cheapestOnly.desired("a")).isEqualTo(4);
  }

  @Test
  void aFailedLaunchBlocksThePoolAndCapacityGoesElsewhereUntilTheBlockExpires() {
    Autoscaler scaler = scaler(settings().blockTtl(Duration.ofMinutes(3)));
    fleet.pool(TestFleet.spot("a", 0.30)).pool(TestFleet.spot("b", 0.40));
    fleet.job(deadlineJob("j", 100)); // two workers
    fleet.launchesFail("a");
    assertThat(fleet.tick(scaler).desired("a")).isEqualTo(2);

    advance(Duration.ofSeconds(10));
    fleet.launchFailure("a", ICE);
    ScalingPlan blocked = fleet.tick(scaler);

    assertThat(blocked.pool("a").standing()).isEqualTo(PoolStanding.BLOCKED);
    assertThat(blocked.pool("a").blockedUntil()).isEqualTo(fleet.now().plus(Duration.ofMinutes(3)));
    assertThat(blocked.desired("a")).as("pending launches cancelled").isZero();
    assertThat(blocked.desired("b")).isEqualTo(2);
    assertThat(blocked.decisions())
        .anySatisfy(
            d -> {
              assertThat(d.pool()).isEqualTo("a");
              assertThat(d.cause()).isEqualTo(DecisionCause.BLOCKED);
              assertThat(d.reason()).contains("InsufficientInstanceCapacity", "blocked until");
            });

    advance(Duration.ofMinutes(2));
    assertThat(fleet.tick(scaler).desired("a")).as("still blocked").isZero();

    advance(Duration.ofMinutes(1));
    fleet.launchesWork("a");
    ScalingPlan expired = fleet.tick(scaler);
    assertThat(expired.pool("a").standing()).isEqualTo(PoolStanding.USABLE);
    assertThat(expired.desired("a")).as("the cheaper pool again").isEqualTo(2);
    assertThat(expired.desired("b")).as("b's workers are not idle: kept").isEqualTo(2);
  }

  @Test
  void fallsBackToOnDemandWhenSpotIsBlockedAndReturnsWhenItCan() {
    Autoscaler scaler = scaler(settings());
    fleet.pool(TestFleet.spot("s", 0.30)).pool(TestFleet.onDemand("od", 1.00));
    fleet.job(deadlineJob("j", 100)); // two workers
    fleet.launchesFail("s");
    fleet.tick(scaler);
    fleet.launchFailure("s", "MaxSpotInstanceCountExceeded");

    ScalingPlan fallback = fleet.tick(scaler);

    assertThat(fallback.mode()).isEqualTo(CapacityMode.ON_DEMAND_FALLBACK);
    assertThat(fallback.desired("s")).isZero();
    assertThat(fallback.desired("od")).isEqualTo(2);
    assertThat(fallback.decisions())
        .anySatisfy(
            d -> {
              assertThat(d.pool()).isEqualTo("od");
              assertThat(d.cause()).isEqualTo(DecisionCause.FALLBACK);
              assertThat(d.reason())
                  .contains("spot cannot meet the deadlines", "MaxSpotInstanceCountExceeded");
            });
    fleet.allPhase("od", WorkerPhase.BUSY);

    advance(Duration.ofMinutes(4));
    fleet.launchesWork("s");
    ScalingPlan back = fleet.tick(scaler);

    assertThat(back.mode()).isEqualTo(CapacityMode.SPOT);
    assertThat(back.desired("s")).isEqualTo(2);
    assertThat(back.desired("od")).as("busy on-demand workers are kept").isEqualTo(2);
    assertThat(back.decisions())
        .anySatisfy(d -> assertThat(d.cause()).isEqualTo(DecisionCause.RETURN_TO_SPOT));

    fleet.allPhase("od", WorkerPhase.IDLE);
    advance(Duration.ofMinutes(6));
    ScalingPlan drained = fleet.tick(scaler);
    assertThat(drained.desired("od")).isZero();
    assertThat(drained.removals()).hasSize(2).allSatisfy(r -> assertThat(r.pool()).isEqualTo("od"));
  }

  @Test
  void fallsBackToOnDemandWhenSpotIsInterruptedTooOftenAndReturnsWhenItCalms() {
    Autoscaler scaler = scaler(settings().maxSpotInterruptionsPerHour(0.25));
    fleet.pool(TestFleet.spot("s", 0.30), new PoolMeasurements(null, 0.6, null));
    fleet.pool(TestFleet.onDemand("od", 1.00));
    fleet.job(deadlineJob("j", 100));

    ScalingPlan risky = fleet.tick(scaler);
    assertThat(risky.pool("s").standing()).isEqualTo(PoolStanding.UNRELIABLE);
    assertThat(risky.desired("s")).isZero();
    assertThat(risky.desired("od")).isEqualTo(2);
    assertThat(risky.mode()).isEqualTo(CapacityMode.ON_DEMAND_FALLBACK);

    fleet.measure("s", new PoolMeasurements(null, 0.1, null));
    advance(Duration.ofSeconds(10));
    ScalingPlan calm = fleet.tick(scaler);
    assertThat(calm.mode()).isEqualTo(CapacityMode.SPOT);
    assertThat(calm.desired("s")).isEqualTo(2);
  }

  @Test
  void undatedWorkWaitsForSpotInsteadOfFallingBack() {
    Autoscaler scaler = scaler(settings());
    fleet.pool(TestFleet.spot("s", 0.30)).pool(TestFleet.onDemand("od", 1.00));
    fleet.job(new JobDemand("u", 90_000, 50, null, 0));
    fleet.launchesFail("s");
    fleet.tick(scaler);
    fleet.launchFailure("s", ICE);

    ScalingPlan plan = fleet.tick(scaler);

    assertThat(plan.desired("od")).isZero();
    assertThat(plan.mode()).isEqualTo(CapacityMode.SPOT);

    ScalingPlan all = fleet.snapshotPlan(scaler(settings().fallback(FallbackScope.ALL_WORK)), ICE);
    assertThat(all.desired("od")).isEqualTo(2);
  }

  @Test
  void scaleInNeverPicksABusyReadyStartingOrNoticedWorker() {
    Autoscaler scaler = scaler(settings());
    fleet.pool(TestFleet.spot("a", 0.5));
    fleet.job(new JobDemand("u", 50_000_000, 10_000, null, 0));
    fleet.tick(scaler); // ten workers
    var ids = fleet.workers("a").stream().map(WorkerSnapshot::id).toList();
    fleet.phase(ids.get(0), WorkerPhase.BUSY, 1);
    fleet.phase(ids.get(1), WorkerPhase.BUSY, 3);
    fleet.phase(ids.get(2), WorkerPhase.STARTING, 0);
    fleet.phase(ids.get(3), WorkerPhase.READY, 0);
    fleet.phase(ids.get(4), WorkerPhase.IDLE, 0);
    fleet.notice(ids.get(4)); // idle, but leaving: not ours to remove
    for (String id : ids.subList(5, 10)) {
      fleet.phase(id, WorkerPhase.BUSY, 1);
    }
    fleet.phase(ids.get(9), WorkerPhase.IDLE, 0);
    fleet.finishJobs();

    advance(Duration.ofMinutes(10));
    ScalingPlan plan = fleet.tick(scaler);

    assertThat(plan.removals()).extracting(WorkerRemoval::workerId).containsExactly(ids.get(9));
    assertThat(plan.pool("a").working()).as("8 kept, not removable").isEqualTo(8);
    assertThat(plan.pool("a").leaving()).isEqualTo(1);
    assertThat(plan.desired("a")).isEqualTo(9);
    assertThat(plan.decisions().get(0).cause()).isEqualTo(DecisionCause.SCALE_IN);
    assertThat(plan.decisions().get(0).reason()).contains("removing idle " + ids.get(9));
  }

  @Test
  void scalesInOnlyAfterTheCoolDownAndTheStabilizationWindow() {
    Autoscaler scaler =
        scaler(
            settings()
                .scaleInCooldown(Duration.ofMinutes(2))
                .scaleInStabilization(Duration.ofMinutes(5)));
    fleet.pool(TestFleet.spot("a", 0.5));
    fleet.job(deadlineJob("j", 250)); // three workers
    assertThat(fleet.tick(scaler).desired("a")).isEqualTo(3);
    fleet.allPhase("a", WorkerPhase.IDLE);
    fleet.job(new JobDemand("j", 1_000, 1, T0.plus(Duration.ofMinutes(65)), 0)); // one worker

    advance(Duration.ofMinutes(1));
    assertThat(fleet.tick(scaler).desired("a")).as("inside the cool-down").isEqualTo(3);
    advance(Duration.ofMinutes(2));
    assertThat(fleet.tick(scaler).desired("a")).as("need of 3 still in the window").isEqualTo(3);
    advance(Duration.ofMinutes(3));
    ScalingPlan later = fleet.tick(scaler);
    assertThat(later.desired("a")).isEqualTo(1);
    assertThat(later.removals()).hasSize(2);
  }

  @Test
  void scalesUpAtOnceWhateverTheCoolDown() {
    Autoscaler scaler = scaler(settings().scaleInCooldown(Duration.ofHours(1)));
    fleet.pool(TestFleet.spot("a", 0.5));
    fleet.job(deadlineJob("j", 50));
    assertThat(fleet.tick(scaler).desired("a")).isEqualTo(1);
    advance(Duration.ofSeconds(10));
    fleet.job(deadlineJob("j", 250));
    assertThat(fleet.tick(scaler).desired("a")).isEqualTo(3);
  }

  @Test
  void replacesANoticedWorkerAtOnceAndLetsItGoWhenItLeaves() {
    Autoscaler scaler = scaler(settings());
    fleet.pool(TestFleet.spot("a", 0.5));
    fleet.job(deadlineJob("j", 100));
    fleet.tick(scaler);
    fleet.allPhase("a", WorkerPhase.BUSY);
    String noticed = fleet.workers("a").get(0).id();

    advance(Duration.ofSeconds(10));
    fleet.notice(noticed);
    ScalingPlan replace = fleet.tick(scaler);

    assertThat(replace.desired("a")).isEqualTo(3);
    assertThat(replace.pool("a").leaving()).isEqualTo(1);
    assertThat(replace.removals()).isEmpty();
    assertThat(replace.decisions())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.cause()).isEqualTo(DecisionCause.REPLACEMENT);
              assertThat(d.reason()).contains("replacing " + noticed + " (notice at");
            });
    assertThat(fleet.workers("a")).hasSize(3);

    advance(Duration.ofMinutes(2));
    fleet.gone(noticed);
    ScalingPlan gone = fleet.tick(scaler);
    assertThat(gone.desired("a")).isEqualTo(2);
    assertThat(gone.removals()).isEmpty();
    assertThat(gone.decisions().get(0).cause()).isEqualTo(DecisionCause.DEPARTURE);
  }

  @Test
  void aQueueThatStopsMovingGetsOneMoreWorkerPerTick() {
    Autoscaler scaler = scaler(settings().maxPendingAge(Duration.ofMinutes(10)));
    fleet.pool(TestFleet.spot("a", 0.5));
    fleet.queue(new QueueSnapshot(40, null, Duration.ofMinutes(11)));

    assertThat(fleet.tick(scaler).desired("a")).isEqualTo(1);
    advance(Duration.ofSeconds(10));
    ScalingPlan second = fleet.tick(scaler);
    assertThat(second.desired("a")).isEqualTo(2);
    assertThat(second.decisions().get(0).reason()).contains("the oldest queued item waited 11m");
  }

  @Test
  void keepsTheLastDecisionsNewestFirst() {
    Autoscaler scaler = scaler(settings().decisionsKept(2));
    fleet.pool(TestFleet.spot("a", 0.5));
    for (int rate : new int[] {50, 150, 250}) {
      fleet.job(deadlineJob("j", rate));
      fleet.tick(scaler);
      advance(Duration.ofSeconds(10));
    }
    assertThat(scaler.decisions(10)).extracting(Decision::to).containsExactly(3, 2);
    assertThat(scaler.decisions(1)).extracting(Decision::to).containsExactly(3);
  }

  @Test
  void settingsAreValidated() {
    assertThatThrownBy(() -> ScalingSettings.builder().minWorkers(3).maxWorkers(2).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxWorkers");
    assertThatThrownBy(() -> ScalingSettings.builder().maxPoolShare(0).build())
        .hasMessageContaining("maxPoolShare");
    assertThatThrownBy(() -> ScalingSettings.builder().blockTtl(Duration.ZERO).build())
        .hasMessageContaining("blockTtl");
    assertThat(ScalingSettings.defaults().undatedDrainTarget()).isEqualTo(Duration.ofMinutes(15));
    assertThat(ScalingSettings.defaults().blockTtl()).isEqualTo(Duration.ofMinutes(3));
  }

  @Test
  void aSnapshotNamesEachPoolOnceAndEveryWorkersPool() {
    PoolSnapshot a = PoolSnapshot.of(TestFleet.spot("a", 0.5), 0, 0);
    assertThatThrownBy(
            () -> new ScalingSnapshot(List.of(), null, List.of(a, a), List.of(), List.of()))
        .hasMessageContaining("unique");
    WorkerSnapshot stray = new WorkerSnapshot("w", "b", WorkerPhase.IDLE, 0, null, null, null);
    assertThatThrownBy(
            () -> new ScalingSnapshot(List.of(), null, List.of(a), List.of(stray), List.of()))
        .hasMessageContaining("unknown pool b");
  }
}
