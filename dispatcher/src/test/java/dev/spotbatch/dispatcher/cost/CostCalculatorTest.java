package dev.spotbatch.dispatcher.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.spotbatch.dispatcher.job.UsageRow;
import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.Lifecycle;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CostCalculatorTest {
  static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  final PriceBook book =
      new PriceBook(
          List.of(
              new Price("aws", "m5.large", Lifecycle.ON_DEMAND, 0.10),
              new Price("aws", "m5.large", Lifecycle.SPOT, 0.03)));
  final CostCalculator calc = new CostCalculator(book);

  static UsageRow row(String id, InstanceFacts facts, long startSecond, long endSecond) {
    return new UsageRow(
        id,
        "j",
        "i-" + id,
        "w",
        facts,
        endSecond - startSecond,
        T0.plusSeconds(endSecond),
        0,
        null);
  }

  static InstanceFacts spot(String instanceId) {
    return new InstanceFacts(
        "aws", instanceId, "m5.large", "us-east-1", "us-east-1a", Lifecycle.SPOT);
  }

  @Test
  void spotTimeCostsItsPriceAndSavesAgainstOnDemand() {
    // one hour, then half an hour, one after the other on one machine
    JobCost c =
        calc.cost(List.of(row("a", spot("i-1"), 0, 3600), row("b", spot("i-1"), 3600, 5400)));
    assertThat(c.usd()).isCloseTo(0.045, within(1e-9));
    assertThat(c.onDemandUsd()).isCloseTo(0.15, within(1e-9));
    assertThat(c.savingsPct()).isEqualTo(70.0);
    assertThat(c.machineHours()).isCloseTo(1.5, within(1e-9));
    assertThat(c.pricing()).isEqualTo("configured");
  }

  @Test
  void itemsSideBySideOnOneMachineShareItsTimeInsteadOfEachPayingForAll() {
    // two items for the same hour on one machine: one machine hour, not two
    JobCost c = calc.cost(List.of(row("a", spot("i-1"), 0, 3600), row("b", spot("i-1"), 0, 3600)));
    assertThat(c.machineHours()).isCloseTo(1.0, within(1e-9));
    assertThat(c.usd()).isCloseTo(0.03, within(1e-9));
    // on two machines they are two machine hours
    JobCost apart =
        calc.cost(List.of(row("a", spot("i-1"), 0, 3600), row("b", spot("i-2"), 0, 3600)));
    assertThat(apart.machineHours()).isCloseTo(2.0, within(1e-9));
  }

  @Test
  void localMachinesArePricedAsTheTypeTheySimulateAndLabelledSimulated() {
    PriceBook defaults = PriceBook.defaults(List.of(), PriceBook.LocalPricing.DEFAULT);
    CostCalculator local = new CostCalculator(defaults);
    InstanceFacts facts =
        new InstanceFacts(
            "local", "i-local-1-1", "local.2xcpu", "local-1", "local-1a", Lifecycle.SPOT);
    JobCost c = local.cost(List.of(row("a", facts, 0, 3600)));
    double spot =
        defaults.usdPerHour("aws", "us-east-1", "g5.xlarge", Lifecycle.SPOT).orElseThrow();
    double od =
        defaults.usdPerHour("aws", "us-east-1", "g5.xlarge", Lifecycle.ON_DEMAND).orElseThrow();
    assertThat(c.usd()).isCloseTo(spot, within(1e-6)).isPositive();
    assertThat(c.onDemandUsd()).isCloseTo(od, within(1e-6));
    assertThat(c.savingsPct()).isPositive();
    assertThat(c.pricing()).isEqualTo("simulated");
    assertThat(calc.cost(List.of())).isEqualTo(JobCost.ZERO);
  }

  @Test
  void unknownLifecycleIsPricedOnDemandAndUnknownMachinesAreFlaggedNotHidden() {
    InstanceFacts unknown =
        new InstanceFacts("aws", "i-2", "m5.large", "r", "z", Lifecycle.UNKNOWN);
    InstanceFacts exotic =
        new InstanceFacts("gcp", "i-3", "n2-standard-2", "r", "z", Lifecycle.SPOT);
    JobCost c = calc.cost(List.of(row("a", unknown, 0, 3600), row("b", exotic, 0, 3600)));
    assertThat(c.usd()).isCloseTo(0.10, within(1e-9));
    assertThat(c.unpricedMachineHours()).isCloseTo(1.0, within(1e-9));
    assertThat(c.pricing()).isEqualTo("unknown");
    assertThat(book.usdPerHour("gcp", "n2-standard-2", Lifecycle.SPOT)).isEmpty();
    assertThat(book.quote(exotic).basis()).isEqualTo(PriceBasis.UNKNOWN);
  }

  @Test
  void wastedWorkIsPricedByKindAndIncludedInTheCost() {
    UsageRow useful = row("a", spot("i-1"), 0, 3600);
    UsageRow failed =
        new UsageRow(
            "b",
            "j",
            "i-b",
            "w",
            spot("i-1"),
            1800,
            T0.plusSeconds(5400),
            0,
            WasteKind.FAILED_ATTEMPT);
    UsageRow killed =
        new UsageRow(
            "c", "j", "i-c", "w", spot("i-2"), 3600, T0.plusSeconds(3600), 120, WasteKind.KILLED);
    JobCost c = calc.cost(List.of(useful, failed, killed));
    assertThat(c.usd()).isCloseTo(0.03 * 2.5, within(1e-9));
    assertThat(c.wastedUsd()).isCloseTo(0.03 * 1.5, within(1e-9));
    assertThat(c.wastedRecords()).isEqualTo(120);
    assertThat(c.wastedByKind())
        .containsOnlyKeys("failed-attempt", "killed")
        .hasEntrySatisfying("failed-attempt", v -> assertThat(v).isCloseTo(0.015, within(1e-9)))
        .hasEntrySatisfying("killed", v -> assertThat(v).isCloseTo(0.03, within(1e-9)));
  }
}
