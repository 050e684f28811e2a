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
  final PriceBook book =
      new PriceBook(
          List.of(
              new Price("aws", "m5.large", Lifecycle.ON_DEMAND, 0.10),
              new Price("aws", "m5.large", Lifecycle.SPOT, 0.03)));
  final CostCalculator calc = new CostCalculator(book);

  UsageRow row(InstanceFacts facts, double seconds) {
    return new UsageRow("e", "j", "i", "w", facts, seconds, Instant.EPOCH);
  }

  @Test
  void spotTimeCostsItsPriceAndSavesAgainstOnDemand() {
    InstanceFacts spot = new InstanceFacts("aws", "i-1", "m5.large", "r", "z", Lifecycle.SPOT);
    JobCost c = calc.cost(List.of(row(spot, 3600), row(spot, 1800)));
    assertThat(c.usd()).isCloseTo(0.045, within(1e-9));
    assertThat(c.onDemandUsd()).isCloseTo(0.15, within(1e-9));
    assertThat(c.savingsPct()).isEqualTo(70.0);
  }

  @Test
  void localMachinesCostNothingAndSavingsAreNullWhenThereIsNothingToCompare() {
    JobCost c = calc.cost(List.of(row(InstanceFacts.local("local-1"), 3600)));
    assertThat(c).isEqualTo(new JobCost(0, 0, null));
    assertThat(calc.cost(List.of())).isEqualTo(JobCost.ZERO);
  }

  @Test
  void unknownLifecycleIsPricedOnDemandAndUnknownMachinesCountAsZero() {
    InstanceFacts unknown =
        new InstanceFacts("aws", "i-2", "m5.large", "r", "z", Lifecycle.UNKNOWN);
    InstanceFacts exotic =
        new InstanceFacts("gcp", "i-3", "n2-standard-2", "r", "z", Lifecycle.SPOT);
    JobCost c = calc.cost(List.of(row(unknown, 3600), row(exotic, 3600)));
    assertThat(c.usd()).isCloseTo(0.10, within(1e-9));
    assertThat(c.savingsPct()).isEqualTo(0.0);
    assertThat(book.usdPerHour("gcp", "n2-standard-2", Lifecycle.SPOT)).isEmpty();
  }
}
