package dev.spotbatch.dispatcher.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SimulationTest {
  final Simulator sim = new Simulator();

  /**
   * A small market: 4 workers, 2 hours of work in items of {@code itemMinutes}, two spot zones at a
   * tenth of the on-demand price.
   */
  static Scenario small(double interruptionsPerHour, int noticeSeconds, double itemMinutes) {
    long rate = 100;
    long items = Math.round(itemMinutes * 60 * rate);
    return Scenarios.parse(
        """
        {"name": "small", "start": "2026-01-05T09:00:00Z",
         "job": {"records": %d, "recordsPerSecondPerWorker": %d, "itemRecords": %d, "chunkRecords": 100},
         "fleet": {"workers": 4},
         "market": {"noticelessShare": 0},
         "pools": [
          {"name": "a-spot", "provider": "aws", "instanceType": "g5.xlarge", "zone": "a", "kind": "SPOT",
           "usdPerHour": 0.5, "interruptionsPerHour": %s, "noticeSeconds": %d, "launchSeconds": 60},
          {"name": "b-spot", "provider": "aws", "instanceType": "g5.xlarge", "zone": "b", "kind": "SPOT",
           "usdPerHour": 0.5, "interruptionsPerHour": %s, "noticeSeconds": %d, "launchSeconds": 60},
          {"name": "od", "provider": "aws", "instanceType": "g5.xlarge", "zone": "r", "kind": "ON_DEMAND",
           "usdPerHour": 1.0, "launchSeconds": 60}]}
        """
            .formatted(
                4 * 2 * 3600 * rate,
                rate,
                items,
                interruptionsPerHour,
                noticeSeconds,
                interruptionsPerHour,
                noticeSeconds),
        "test");
  }

  @Test
  void aRunRepeatsExactlyForItsSeedAndDiffersForAnother() {
    Scenario s = small(0.5, 120, 10);
    RunSpec spec = new RunSpec(Strategy.SPOT, DrainMode.SPOTBATCH, 42);
    RunResult first = sim.run(s, spec);
    RunResult again = sim.run(s, spec);
    assertThat(again).isEqualTo(first);
    assertThat(first.interruptions()).isPositive();

    RunResult other = sim.run(s, new RunSpec(Strategy.SPOT, DrainMode.SPOTBATCH, 43));
    assertThat(other).isNotEqualTo(first);
    assertThat(other.usd()).isNotEqualTo(first.usd());
  }

  @Test
  void everyRecordIsCommittedWhateverTheInterruptions() {
    for (DrainMode mode : DrainMode.values()) {
      RunResult r = sim.run(small(2, 30, 10), new RunSpec(Strategy.SPOT, mode, 7));
      assertThat(r.outcome()).as(mode.name()).isEqualTo(RunResult.Outcome.DONE);
      assertThat(r.interruptions()).as(mode.name()).isGreaterThan(5);
    }
  }

  @Test
  void allOnDemandRunsTheMaximumForTheWholeJobAtTheListPrice() {
    RunResult r =
        sim.run(small(0.5, 120, 10), new RunSpec(Strategy.ON_DEMAND, DrainMode.SPOTBATCH, 1));
    assertThat(r.interruptions()).isZero();
    assertThat(r.recordsProcessedTwice()).isZero();
    // 8 worker-hours of work on 4 workers plus the launch: a little over 2 hours
    assertThat(r.makespanHours()).isBetween(2.0, 2.1);
    assertThat(r.usd())
        .isCloseTo(r.machineHours() * 1.0, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(r.usd()).isEqualTo(r.onDemandEquivalentUsd());
    assertThat(r.pools()).extracting(RunResult.PoolResult::pool).containsExactly("od");
  }

  @Test
  void theRealDrainPlannerFinishesShortItemsAndCheckpointsLongOnes() {
    // 1-minute items fit in a 2-minute notice; 60-minute items never fit in 30 s
    RunResult shortItems =
        sim.run(small(1, 120, 1), new RunSpec(Strategy.SPOT, DrainMode.SPOTBATCH, 3));
    assertThat(shortItems.drains().finished()).isPositive();
    assertThat(shortItems.drains().checkpointed()).isZero();
    RunResult longItems =
        sim.run(small(1, 30, 60), new RunSpec(Strategy.SPOT, DrainMode.SPOTBATCH, 3));
    assertThat(longItems.drains().checkpointed()).isPositive();
    assertThat(longItems.drains().finished()).isZero();
    // a checkpoint stops at the next chunk boundary: nothing is processed twice
    assertThat(longItems.recordsProcessedTwice()).isZero();
    assertThat(longItems.drains().lost()).isZero();
  }

  @Test
  void restartingFromScratchProcessesRecordsTwiceAndCostsMore() {
    Scenario s = small(1, 120, 60);
    RunResult drain = sim.run(s, new RunSpec(Strategy.SPOT, DrainMode.SPOTBATCH, 5));
    RunResult restart = sim.run(s, new RunSpec(Strategy.SPOT, DrainMode.RESTART, 5));
    assertThat(restart.drains().lost()).isPositive();
    assertThat(restart.recordsProcessedTwice()).isGreaterThan(100_000);
    assertThat(restart.wastedUsd()).isPositive();
    assertThat(drain.recordsProcessedTwice()).isZero();
    assertThat(restart.makespanHours()).isGreaterThan(drain.makespanHours());
  }

  @Test
  void aLossWithoutNoticeLosesTheRecordsOfTheItemInProgress() {
    Scenario s =
        Scenarios.parse(
            Scenarios.text("seed-h100")
                .replace("\"noticelessShare\": 0.02", "\"noticelessShare\": 1"),
            "all noticeless");
    RunResult r = sim.run(s, new RunSpec(Strategy.SPOT, DrainMode.SPOTBATCH, 2));
    assertThat(r.noticeless()).isEqualTo(r.interruptions()).isPositive();
    assertThat(r.recordsProcessedTwice()).isPositive();
    assertThat(r.drains().finished() + r.drains().checkpointed()).isZero();
  }

  @Test
  void aPoolOutOfCapacityFailsItsLaunchesAndTheAutoscalerGoesElsewhere() {
    Scenario s =
        small(0, 120, 10)
            .withPools(
                p ->
                    p.name().equals("a-spot")
                        ? new ScenarioPool(
                            p.name(),
                            p.provider(),
                            p.instanceType(),
                            p.zone(),
                            p.kind(),
                            p.usdPerHour(),
                            0.0,
                            120,
                            60,
                            0,
                            0.0)
                        : p);
    RunResult r = sim.run(s, new RunSpec(Strategy.SPOT, DrainMode.SPOTBATCH, 1));
    RunResult.PoolResult a = pool(r, "a-spot");
    RunResult.PoolResult b = pool(r, "b-spot");
    assertThat(a.launchFailures()).isPositive();
    assertThat(a.launches()).isZero();
    assertThat(b.launches()).isEqualTo(4);
    assertThat(pool(r, "od").launches()).isZero(); // undated work waits for spot, no fallback
    assertThat(r.outcome()).isEqualTo(RunResult.Outcome.DONE);
  }

  @Test
  void theMixedStrategyKeepsItsOnDemandBase() {
    RunResult r = sim.run(small(0, 120, 10), new RunSpec(Strategy.MIXED, DrainMode.SPOTBATCH, 1));
    // a quarter of 4 workers
    assertThat(pool(r, "od").launches()).isEqualTo(1);
    assertThat(pool(r, "a-spot").launches() + pool(r, "b-spot").launches()).isEqualTo(3);
  }

  @Test
  void comparesStrategiesOnTheSameSeedsAgainstAllOnDemand() {
    List<Summary> all =
        sim.compare(
            small(0.2, 120, 10),
            List.of(
                new Simulator.Variant(Strategy.SPOT, DrainMode.SPOTBATCH),
                new Simulator.Variant(Strategy.BUDGET, DrainMode.SPOTBATCH)),
            1,
            3);
    // no budget pool in this scenario: left out
    assertThat(all)
        .extracting(Summary::strategy)
        .containsExactly(Strategy.ON_DEMAND, Strategy.SPOT);
    Summary spot = all.get(1);
    assertThat(spot.runs()).isEqualTo(3);
    assertThat(spot.results()).extracting(RunResult::seed).containsExactly(1L, 2L, 3L);
    assertThat(spot.savingsVsOnDemand()).isBetween(0.4, 0.6); // half the price per hour
    assertThat(spot.usd().min()).isLessThanOrEqualTo(spot.usd().mean());
    assertThat(spot.usd().max()).isGreaterThanOrEqualTo(spot.usd().mean());
  }

  @Test
  void withSlackTheJobWaitsForTheNightAndCostsLessThanPaced() {
    Scenario base = small(0.02, 120, 10);
    // Friday 09:00 UTC, due 30 hours later (Saturday 15:00): 2 hours of work on 4 workers
    Scenario friday =
        base.withStart(java.time.Instant.parse("2026-01-09T09:00:00Z"))
            .withJob(
                new Scenario.Job(
                    base.job().records(),
                    base.job().recordsPerSecondPerWorker(),
                    base.job().itemRecords(),
                    base.job().chunkRecords(),
                    30.0));
    RunResult paced = sim.run(friday, new RunSpec(Strategy.SPOT, DrainMode.SPOTBATCH, 4));
    RunResult slack =
        sim.run(
            friday,
            new RunSpec(
                Strategy.SPOT,
                DrainMode.SPOTBATCH,
                dev.spotbatch.dispatcher.fleet.scaling.SlackMode.CHEAPEST_HOURS,
                4));
    assertThat(slack.outcome()).isEqualTo(RunResult.Outcome.DONE);
    // it waited for 22:00 (13 hours) and still met the deadline
    assertThat(slack.makespanHours()).isBetween(13.0, 30.0);
    assertThat(slack.usd()).isLessThan(paced.usd() * 0.95);
    assertThat(
            sim.run(
                friday,
                new RunSpec(
                    Strategy.SPOT,
                    DrainMode.SPOTBATCH,
                    dev.spotbatch.dispatcher.fleet.scaling.SlackMode.CHEAPEST_HOURS,
                    4)))
        .isEqualTo(slack);
  }

  static RunResult.PoolResult pool(RunResult r, String name) {
    return r.pools().stream().filter(p -> p.pool().equals(name)).findFirst().orElseThrow();
  }
}
