package dev.spotbatch.dispatcher.fleet.scaling;

import java.util.Map;

/**
 * The working workers per pool that meet the demand at the lowest expected cost.
 *
 * @param counts pool name to working workers (every ranked pool present)
 * @param plannedRate the records/s those workers are expected to add
 * @param fallbackWorkers on-demand workers beyond the base because spot fell short
 * @param spotShortfall why spot fell short (empty when it did not)
 * @param shortOfDemand true when the demand is not met (maximum, items or pools exhausted)
 */
record Allocation(
    Map<String, Integer> counts,
    double plannedRate,
    int fallbackWorkers,
    String spotShortfall,
    boolean shortOfDemand) {

  int count(String pool) {
    return counts.getOrDefault(pool, 0);
  }
}
