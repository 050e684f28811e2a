package dev.spotbatch.dispatcher.cost;

/**
 * What a job cost and what the same machine time would have cost on demand.
 *
 * @param savingsPct {@code 100 * (1 - usd / onDemandUsd)}, or null when the on-demand cost is zero
 */
public record JobCost(double usd, double onDemandUsd, Double savingsPct) {
  public static final JobCost ZERO = new JobCost(0, 0, null);
}
