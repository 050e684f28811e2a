package dev.spotbatch.dispatcher.cost;

import java.time.Instant;
import java.util.List;

/**
 * What the fleet cost in a window, per pool and in total: billed machine time (busy and idle) at
 * each machine's price.
 *
 * @param pools one line per pool, by name
 * @param warnings what a reader must know (unpriced machines, simulated prices)
 */
public record FleetCost(
    Instant from, Instant to, List<Line> pools, Line total, List<String> warnings) {

  /**
   * One pool's (or the total's) figures.
   *
   * @param pricing how far to trust {@code usd} (see {@link JobCost#pricing()})
   * @param usdPer1000Records null when no record was committed
   * @param monthlyProjectionUsd {@code usd} over the window scaled to 730 hours
   */
  public record Line(
      String pool,
      String provider,
      String instanceType,
      String zone,
      String lifecycle,
      String pricing,
      double usdPerHour,
      double usd,
      double onDemandUsd,
      Double savingsPct,
      double machineHours,
      double busyHours,
      double idleHours,
      double wastedUsd,
      long interruptions,
      double interruptionsPerHour,
      long records,
      Double usdPer1000Records,
      double monthlyProjectionUsd) {}
}
