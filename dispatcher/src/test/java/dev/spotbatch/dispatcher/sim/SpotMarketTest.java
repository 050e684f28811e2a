package dev.spotbatch.dispatcher.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SpotMarketTest {
  static final Instant MONDAY_NOON = Instant.parse("2026-01-05T12:00:00Z");
  static final Instant MONDAY_NIGHT = Instant.parse("2026-01-05T23:00:00Z");
  static final Instant SATURDAY_NOON = Instant.parse("2026-01-10T12:00:00Z");
  final Scenario.Market steady = new Scenario.Market(0.6, 0.12, 22, 6, 0.0, 0.0);
  final ScenarioPool spot =
      new ScenarioPool(
          "s", "aws", "p5.48xlarge", "z", PoolKind.SPOT, 20, 0.041, 120, 60, null, 0.0);
  final ScenarioPool onDemand =
      new ScenarioPool(
          "o", "aws", "p5.48xlarge", "z", PoolKind.ON_DEMAND, 98.32, null, null, null, null, null);

  @Test
  void spotIsCheaperAtNightAndOnWeekendsOnDemandNever() {
    SpotMarket m = new SpotMarket(steady, 1);
    assertThat(m.usdPerHour(spot, MONDAY_NOON)).isEqualTo(20);
    assertThat(m.usdPerHour(spot, MONDAY_NIGHT)).isCloseTo(17.6, within(1e-9));
    assertThat(m.usdPerHour(spot, SATURDAY_NOON)).isCloseTo(17.6, within(1e-9));
    assertThat(m.usdPerHour(onDemand, MONDAY_NIGHT)).isEqualTo(98.32);
  }

  @Test
  void weekendsAreInterruptedFortyPercentLess() {
    SpotMarket m = new SpotMarket(steady, 1);
    assertThat(m.interruptionsPerHour(spot, MONDAY_NOON)).isEqualTo(0.041);
    assertThat(m.interruptionsPerHour(spot, SATURDAY_NOON)).isCloseTo(0.0246, within(1e-12));
    assertThat(m.interruptionsPerHour(onDemand, MONDAY_NOON)).isZero();
  }

  @Test
  void theCostOfAMachineAddsItsHoursAtTheirPrices() {
    SpotMarket m = new SpotMarket(steady, 1);
    // 21:30 to 22:30 on a Monday: half an hour at 20, half at 17.6
    Instant from = Instant.parse("2026-01-05T21:30:00Z");
    assertThat(m.usd(spot, from, from.plus(Duration.ofHours(1)))).isCloseTo(18.8, within(1e-9));
  }

  @Test
  void interruptionsFollowTheRateAndRepeatForASeed() {
    SpotMarket m = new SpotMarket(steady, 1);
    ScenarioPool often = spot.withInterruptionsPerHour(0.5);
    SplittableRandom r = new SplittableRandom(9);
    double hours = 0;
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      // a weekday-only stretch: Monday 00:00 + up to 4 days
      Instant at =
          m.nextInterruption(often, Instant.parse("2026-01-05T00:00:00Z"), Duration.ofDays(4), r);
      hours +=
          at == null
              ? 96
              : Duration.between(Instant.parse("2026-01-05T00:00:00Z"), at).toSeconds() / 3600.0;
    }
    assertThat(hours / n).isCloseTo(2.0, within(0.1)); // mean time to interruption = 1 / rate
    Instant a = m.nextInterruption(often, MONDAY_NOON, Duration.ofDays(4), new SplittableRandom(5));
    Instant b = m.nextInterruption(often, MONDAY_NOON, Duration.ofDays(4), new SplittableRandom(5));
    assertThat(a).isEqualTo(b);
  }

  @Test
  void theHourlyPriceMoveIsTheSameForASeedAndAveragesOut() {
    Scenario.Market moving = new Scenario.Market(0.6, 0.12, 22, 6, 0.05, 0.0);
    SpotMarket m = new SpotMarket(moving, 7);
    assertThat(m.usdPerHour(spot, MONDAY_NOON))
        .isEqualTo(new SpotMarket(moving, 7).usdPerHour(spot, MONDAY_NOON));
    assertThat(m.usdPerHour(spot, MONDAY_NOON))
        .isNotEqualTo(new SpotMarket(moving, 8).usdPerHour(spot, MONDAY_NOON));
    double sum = 0;
    for (int h = 0; h < 2000; h++) {
      sum +=
          m.usdPerHour(spot, Instant.parse("2026-01-05T12:00:00Z").plus(Duration.ofDays(7L * h)));
    }
    assertThat(sum / 2000).isCloseTo(20, within(0.2));
  }
}
