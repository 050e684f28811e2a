package dev.spotbatch.dispatcher.cost;

import java.util.Map;

/**
 * What a job cost, what the same machine time would have cost on demand, and the part of it spent
 * on work done again.
 *
 * @param savingsPct {@code 100 * (1 - usd / onDemandUsd)}, or null when the on-demand cost is zero
 * @param wastedUsd the cost of work that had to be done again (included in {@code usd})
 * @param machineHours the job's share of its machines' time
 * @param interruptions how often the job's items were interrupted
 * @param wastedRecords records processed by work that was done again
 * @param wastedByKind wasted dollars by {@link WasteKind#apiName()}
 * @param unpricedMachineHours machine hours the price book has no price for (priced at zero)
 * @param pricing {@code listed}, {@code estimate}, {@code simulated}, ... or {@code mixed}: how far
 *     to trust {@code usd}; {@code unknown} when some machine time is unpriced
 */
public record JobCost(
    double usd,
    double onDemandUsd,
    Double savingsPct,
    double wastedUsd,
    double machineHours,
    long interruptions,
    long wastedRecords,
    Map<String, Double> wastedByKind,
    double unpricedMachineHours,
    String pricing) {
  public static final JobCost ZERO = new JobCost(0, 0, null, 0, 0, 0, 0, Map.of(), 0, "none");

  public JobCost {
    wastedByKind = wastedByKind == null ? Map.of() : Map.copyOf(wastedByKind);
  }

  /** The same cost with the job's interruption count. */
  public JobCost withInterruptions(long count) {
    return new JobCost(
        usd,
        onDemandUsd,
        savingsPct,
        wastedUsd,
        machineHours,
        count,
        wastedRecords,
        wastedByKind,
        unpricedMachineHours,
        pricing);
  }
}
