package dev.spotbatch.dispatcher.cost;

import dev.spotbatch.dispatcher.job.JobStore;
import dev.spotbatch.dispatcher.job.UsageRow;
import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.Lifecycle;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Prices work: each usage row's share of its machine ({@link Attribution}) at the machine's price,
 * and at the on-demand price of the same instance type. Machines the price book does not know count
 * as zero and are reported as unpriced hours with pricing {@code unknown}, never hidden.
 */
public final class CostCalculator {
  private final PriceBook prices;

  public CostCalculator(PriceBook prices) {
    this.prices = prices;
  }

  public PriceBook prices() {
    return prices;
  }

  /** The cost of these rows, split among themselves where they ran side by side. */
  public JobCost cost(Collection<UsageRow> usage) {
    Instant end = usage.stream().map(UsageRow::at).max(Instant::compareTo).orElse(Instant.EPOCH);
    return cost(null, usage, Attribution.split(List.of(), usage, null, end.plusMillis(1)));
  }

  /**
   * The cost of job {@code jobId}'s rows, each charged its share of its machine as split among
   * {@code machineRows} (every row of the machines the job ran on, of any job).
   */
  public JobCost jobCost(String jobId, Collection<UsageRow> machineRows) {
    Instant end =
        machineRows.stream().map(UsageRow::at).max(Instant::compareTo).orElse(Instant.EPOCH);
    return cost(
        jobId, machineRows, Attribution.split(List.of(), machineRows, null, end.plusMillis(1)));
  }

  /**
   * The cost of a job as its store knows it: its work split with every job's work on the same
   * machines, and its interruptions.
   */
  public JobCost jobCost(String jobId, JobStore jobs) {
    return jobCost(jobId, jobs.usage().usageOnMachinesOf(jobId))
        .withInterruptions(jobs.usage().interruptions(jobId));
  }

  /** The cost of the rows of {@code jobId} (null: every row) under a computed split. */
  public JobCost cost(String jobId, Collection<UsageRow> rows, Attribution.Result split) {
    double usd = 0;
    double onDemand = 0;
    double wasted = 0;
    double seconds = 0;
    double unpriced = 0;
    long wastedRecords = 0;
    Map<String, Double> byKind = new TreeMap<>();
    TreeSet<String> bases = new TreeSet<>();
    for (UsageRow u : rows) {
      if (jobId != null && !jobId.equals(u.jobId())) {
        continue;
      }
      double s = split.share(u);
      double hours = s / 3600.0;
      Quote own = prices.quote(u.instance());
      double od = onDemandUsdPerHour(u.instance(), own);
      bases.add(own.basis().name().toLowerCase(Locale.ROOT));
      if (!own.known()) {
        unpriced += hours;
      }
      usd += hours * own.usdPerHour();
      onDemand += hours * od;
      seconds += s;
      if (u.wasted()) {
        wasted += hours * own.usdPerHour();
        wastedRecords += u.records();
        byKind.merge(u.waste().apiName(), hours * own.usdPerHour(), Double::sum);
      }
    }
    byKind.replaceAll((k, v) -> round(v, 6));
    String pricing =
        unpriced > 0
            ? "unknown"
            : bases.isEmpty() ? "none" : bases.size() == 1 ? bases.first() : "mixed";
    return new JobCost(
        round(usd, 6),
        round(onDemand, 6),
        savingsPct(usd, onDemand),
        round(wasted, 6),
        round(seconds / 3600.0, 6),
        0,
        wastedRecords,
        byKind,
        round(unpriced, 6),
        pricing);
  }

  /** The on-demand price of the machine's type (never below what it was charged). */
  public double onDemandUsdPerHour(InstanceFacts i, Quote own) {
    Quote od = prices.quote(i, Lifecycle.ON_DEMAND);
    return Math.max(od.known() ? od.usdPerHour() : own.usdPerHour(), own.usdPerHour());
  }

  static Double savingsPct(double usd, double onDemand) {
    return onDemand > 0 ? round(100.0 * (1 - usd / onDemand), 2) : null;
  }

  static double round(double v, int places) {
    double f = Math.pow(10, places);
    return Math.round(v * f) / f;
  }
}
