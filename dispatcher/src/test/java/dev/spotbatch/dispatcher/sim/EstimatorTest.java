package dev.spotbatch.dispatcher.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotbatch.dispatcher.cost.Price;
import dev.spotbatch.dispatcher.cost.PriceBook;
import dev.spotbatch.model.Lifecycle;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class EstimatorTest {
  static final Instant NOW = Instant.parse("2026-01-05T09:00:00Z");
  final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  final PriceBook empty = new PriceBook(List.of());

  Estimator estimator(PriceBook book) {
    return new Estimator(book, new Simulator(), clock, 3);
  }

  /** 10 workers x 1 hour of p3 work. */
  static EstimateInput v100(Integer workers, Instant deadline) {
    return new EstimateInput(5_400_000, 150, "p3.2xlarge", "us-east-1", workers, deadline);
  }

  @Test
  void spotIsRecommendedWhereItPaysWithTheScenariosPricesWhenTheBookHasNone() {
    Estimate e = estimator(empty).estimate(v100(10, null));
    assertThat(e.options())
        .extracting(Summary::strategy)
        .containsExactly(Strategy.ON_DEMAND, Strategy.SPOT, Strategy.MIXED);
    assertThat(e.recommended()).isEqualTo(Strategy.SPOT);
    assertThat(e.reason()).contains("cheaper than on-demand");
    assertThat(e.priceSource()).isEqualTo("scenario v100-deep-discount");
    assertThat(e.template()).isEqualTo("v100-deep-discount");
    assertThat(e.options().get(1).runs()).isEqualTo(3);
    assertThat(e.scenario().fleet().workers()).isEqualTo(10);
  }

  @Test
  void pricesComeFromThePriceBookWhenItHasThem() {
    PriceBook book =
        new PriceBook(
            List.of(
                new Price("aws", "p3.2xlarge", Lifecycle.ON_DEMAND, 3.06),
                new Price("aws", "p3.2xlarge", Lifecycle.SPOT, 2.90)));
    Estimate e = estimator(book).estimate(v100(10, null));
    assertThat(e.priceSource()).isEqualTo("price book");
    // spot at 95% of on-demand saves too little for its interruptions: on-demand is better
    assertThat(e.recommended()).isEqualTo(Strategy.ON_DEMAND);
    assertThat(e.reason()).startsWith("on-demand is the better choice here");
  }

  @Test
  void aBudgetProviderIsAnOptionWhenPricedAndWinsWhenCheaper() {
    Estimate e =
        estimator(empty)
            .estimate(new EstimateInput(28_800_000, 1000, "p5.48xlarge", "us-east-1", 8, null));
    assertThat(e.options()).extracting(Summary::strategy).contains(Strategy.BUDGET);
    assertThat(e.recommended()).isEqualTo(Strategy.BUDGET);
  }

  @Test
  void aDeadlineSizesTheFleetAndIsCheckedInEveryRun() {
    Estimate e = estimator(empty).estimate(v100(null, NOW.plus(Duration.ofHours(2))));
    // 10 worker-hours in 2 hours minus the launch, with room: about 6 workers
    assertThat(e.scenario().fleet().workers()).isBetween(6, 8);
    assertThat(e.scenario().job().deadlineHours()).isEqualTo(2.0);
    Estimate tight = estimator(empty).estimate(v100(2, NOW.plus(Duration.ofHours(1))));
    assertThat(tight.recommended()).isEqualTo(Strategy.ON_DEMAND);
    assertThat(tight.reason()).contains("no strategy meets the deadline");
  }

  @Test
  void usWest2IsInterruptedAThirdAsOftenAsUsEast1() {
    Estimate east = estimator(empty).estimate(v100(10, null));
    Estimate west =
        estimator(empty)
            .estimate(new EstimateInput(5_400_000, 150, "p3.2xlarge", "us-west-2", 10, null));
    double eastRate = spotRate(east);
    assertThat(spotRate(west)).isCloseTo(eastRate / 3, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(west.notes()).anyMatch(n -> n.contains("us-west-2"));
    assertThat(west.scenario().pools()).anyMatch(p -> p.zone().equals("us-west-2a"));
  }

  @Test
  void anUnknownMachineNeedsItsPricesInTheBook() {
    assertThatThrownBy(
            () ->
                estimator(empty)
                    .estimate(new EstimateInput(1000, 10, "x9.huge", "us-east-1", 2, null)))
        .isInstanceOf(EstimateException.class)
        .hasMessageContaining("x9.huge")
        .hasMessageContaining("p5.48xlarge")
        .extracting(t -> ((EstimateException) t).field())
        .isEqualTo("instanceType");
    PriceBook book =
        new PriceBook(
            List.of(
                new Price("aws", "x9.huge", Lifecycle.ON_DEMAND, 2),
                new Price("aws", "x9.huge", Lifecycle.SPOT, 0.6)));
    Estimate e =
        estimator(book).estimate(new EstimateInput(360_000, 10, "x9.huge", "us-east-1", 4, null));
    assertThat(e.notes()).anyMatch(n -> n.contains("no built-in scenario has x9.huge"));
    assertThat(e.options()).extracting(Summary::strategy).doesNotContain(Strategy.BUDGET);
  }

  @Test
  void badInputNamesItsField() {
    Estimator est = estimator(empty);
    assertField(est, new EstimateInput(0, 1, "p5.48xlarge", "us-east-1", 1, null), "records");
    assertField(
        est,
        new EstimateInput(1, -1, "p5.48xlarge", "us-east-1", 1, null),
        "recordsPerSecondPerWorker");
    assertField(est, new EstimateInput(1, 1, " ", "us-east-1", 1, null), "instanceType");
    assertField(est, new EstimateInput(1, 1, "p5.48xlarge", "Mars", 1, null), "region");
    assertField(est, new EstimateInput(1, 1, "p5.48xlarge", "us-east-1", 0, null), "workers");
    assertField(
        est,
        new EstimateInput(1, 1, "p5.48xlarge", "us-east-1", 1, NOW.minusSeconds(1)),
        "deadline");
    assertField(
        est, new EstimateInput(1_000_000_000, 1, "p5.48xlarge", "us-east-1", 1, null), "records");
  }

  static void assertField(Estimator est, EstimateInput in, String field) {
    assertThatThrownBy(() -> est.estimate(in))
        .isInstanceOf(EstimateException.class)
        .extracting(t -> ((EstimateException) t).field())
        .isEqualTo(field);
  }

  static double spotRate(Estimate e) {
    return e.scenario().pools().stream()
        .filter(p -> p.kind() == PoolKind.SPOT)
        .findFirst()
        .orElseThrow()
        .interruptionsPerHour();
  }
}
