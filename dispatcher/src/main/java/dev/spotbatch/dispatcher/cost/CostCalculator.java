package dev.spotbatch.dispatcher.cost;

import dev.spotbatch.dispatcher.job.UsageRow;
import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.Lifecycle;
import java.util.Collection;

/**
 * Prices a job's usage rows: each row's machine-seconds at its own price, and at the on-demand
 * price of the same instance type. Machines the price book does not know count as zero (and are
 * logged once by the caller's metrics, not here).
 */
public final class CostCalculator {
  private final PriceBook prices;

  public CostCalculator(PriceBook prices) {
    this.prices = prices;
  }

  public JobCost cost(Collection<UsageRow> usage) {
    double usd = 0;
    double onDemand = 0;
    for (UsageRow u : usage) {
      InstanceFacts i = u.instance();
      double hours = u.machineSeconds() / 3600.0;
      double own = prices.usdPerHour(i.provider(), i.instanceType(), i.lifecycle()).orElse(0);
      double od =
          prices.usdPerHour(i.provider(), i.instanceType(), Lifecycle.ON_DEMAND).orElse(own);
      usd += hours * own;
      onDemand += hours * Math.max(od, own);
    }
    Double savings = onDemand > 0 ? round(100.0 * (1 - usd / onDemand), 2) : null;
    return new JobCost(round(usd, 6), round(onDemand, 6), savings);
  }

  private static double round(double v, int places) {
    double f = Math.pow(10, places);
    return Math.round(v * f) / f;
  }
}
