package dev.spotbatch.drain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DrainPlannerTest {
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  static final Instant DEADLINE = NOW.plusSeconds(120);
  final DrainPlanner planner = new DrainPlanner(Duration.ofSeconds(5));

  /** 100 records done in the first 1000 bytes (10 bytes a record) of [0, end). */
  static DrainPlanner.ItemState item(long end, double recordsPerSecond) {
    return new DrainPlanner.ItemState("i", 100, 0, 1000, end, recordsPerSecond);
  }

  @Test
  void anItemWhoseRemainingTimeFitsFinishes() {
    // 9000 bytes left = 900 records at 10/s = 90 s < 115 s
    assertThat(planner.decide(NOW, DEADLINE, item(10_000, 10))).isEqualTo(DrainDecision.FINISH);
  }

  @Test
  void anItemWhoseRemainingTimeDoesNotFitIsCheckpointed() {
    // 900 records at 5/s = 180 s > 115 s
    assertThat(planner.decide(NOW, DEADLINE, item(10_000, 5))).isEqualTo(DrainDecision.CHECKPOINT);
  }

  @Test
  void anItemWithNothingDoneIsHandedBack() {
    DrainPlanner.ItemState notStarted = new DrainPlanner.ItemState("i", 0, 0, 0, 10_000, 0);
    assertThat(planner.decide(NOW, DEADLINE, notStarted)).isEqualTo(DrainDecision.HAND_BACK);
  }

  @Test
  void anItemWithoutAMeasuredRateIsCheckpointed() {
    assertThat(planner.decide(NOW, DEADLINE, item(10_000, 0))).isEqualTo(DrainDecision.CHECKPOINT);
  }

  @Test
  void anItemThatReadEverythingFinishes() {
    assertThat(planner.decide(NOW, DEADLINE, item(1000, 0.001))).isEqualTo(DrainDecision.FINISH);
  }

  @Test
  void rePlanningAfterTheRateDropsCheckpointsAFinishingItem() {
    assertThat(planner.decide(NOW, DEADLINE, item(10_000, 10))).isEqualTo(DrainDecision.FINISH);
    // 30 s later: the same progress, the measured rate fell to 7/s; 900 records need 129 s > 85 s
    Instant later = NOW.plusSeconds(30);
    assertThat(planner.decide(later, DEADLINE, item(10_000, 7)))
        .isEqualTo(DrainDecision.CHECKPOINT);
  }

  @Test
  void theSafetyMarginIsRespected() {
    // 900 records at 8/s = 112.5 s: fits 120 s, not 120 - 5 s... with margin 5 it does (115 s)
    assertThat(planner.decide(NOW, DEADLINE, item(10_000, 8))).isEqualTo(DrainDecision.FINISH);
    DrainPlanner wide = new DrainPlanner(Duration.ofSeconds(10));
    assertThat(wide.decide(NOW, DEADLINE, item(10_000, 8))).isEqualTo(DrainDecision.CHECKPOINT);
    assertThat(wide.cutoff(DEADLINE)).isEqualTo(DEADLINE.minusSeconds(10));
  }

  @Test
  void plansEveryItemByItsId() {
    Map<String, DrainDecision> plan =
        planner.plan(
            NOW,
            DEADLINE,
            List.of(
                new DrainPlanner.ItemState("fast", 100, 0, 1000, 10_000, 10),
                new DrainPlanner.ItemState("slow", 100, 0, 1000, 10_000, 1),
                new DrainPlanner.ItemState("new", 0, 0, 0, 10_000, 0)));
    assertThat(plan)
        .containsExactly(
            Map.entry("fast", DrainDecision.FINISH),
            Map.entry("slow", DrainDecision.CHECKPOINT),
            Map.entry("new", DrainDecision.HAND_BACK));
  }
}
