package dev.spotbatch.dispatcher.fleet.scaling;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Adds workers one at a time until the demand is met, each to the pool where it is cheapest:
 *
 * <ol>
 *   <li>the first {@code onDemandBase} workers go to the cheapest on-demand pool;
 *   <li>then spot, cheapest per record first, no pool over {@code maxPoolShare} of the spot workers
 *       while another spot pool has room; then spot beyond the share (an on-demand pool that is
 *       cheaper per record than the spot pool left wins: rework counts);
 *   <li>when no spot pool has room (blocked, unreliable or full), on-demand makes up what deadlines
 *       need (and, with {@link FallbackScope#ALL_WORK} or without any spot pool, all work).
 * </ol>
 *
 * It stops at the maximum, and at one worker per remaining item. It plans from scratch each tick;
 * the autoscaler decides how fast the fleet follows.
 */
final class CapacityAllocator {
  private final ScalingSettings settings;

  CapacityAllocator(ScalingSettings settings) {
    this.settings = settings;
  }

  Allocation allocate(List<RankedPool> ranked, Demand demand) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    ranked.forEach(p -> counts.put(p.name(), 0));
    Map<String, RankedPool> byName = new HashMap<>();
    ranked.forEach(p -> byName.put(p.name(), p));
    boolean anySpot = ranked.stream().anyMatch(RankedPool::spot);

    int floor = Math.min(settings.maxWorkers(), demand.floorWorkers());
    long cap = Math.min(settings.maxWorkers(), Math.max(floor, demand.itemCap()));
    double need = demand.totalRate();
    int total = 0;
    int onDemand = 0;
    int spot = 0;
    int fallback = 0;
    double rate = 0;
    while (total < cap && (rate < need || total < floor)) {
      RankedPool pick = null;
      if (onDemand < settings.onDemandBase()) {
        pick = cheapestWithRoom(ranked, counts, false, Integer.MAX_VALUE);
      }
      if (pick == null) {
        int share = (int) Math.max(1, Math.floor(settings.maxPoolShare() * (spot + 1)));
        pick = cheapestWithRoom(ranked, counts, true, share);
        if (pick == null) {
          pick = cheapestWithRoom(ranked, counts, true, Integer.MAX_VALUE);
        }
        RankedPool onDemandPick = cheapestWithRoom(ranked, counts, false, Integer.MAX_VALUE);
        if (pick != null
            && onDemandPick != null
            && onDemandPick.usdPerMillionRecords() < pick.usdPerMillionRecords()) {
          pick = onDemandPick; // on-demand is cheaper per record than the spot left: not a fallback
        }
      }
      if (pick == null) {
        boolean mayFallBack =
            !anySpot
                || total < floor
                || rate < demand.hardRate()
                || settings.fallback() == FallbackScope.ALL_WORK;
        if (mayFallBack) {
          pick = cheapestWithRoom(ranked, counts, false, Integer.MAX_VALUE);
          if (pick != null && anySpot && onDemand >= settings.onDemandBase()) {
            fallback++;
          }
        }
      }
      if (pick == null) {
        break;
      }
      counts.merge(pick.name(), 1, Integer::sum);
      total++;
      rate += pick.effectiveRate();
      if (pick.spot()) {
        spot++;
      } else {
        onDemand++;
      }
    }
    String shortfall = fallback > 0 || rate < need ? spotShortfall(ranked, counts) : "";
    return new Allocation(counts, rate, fallback, shortfall, rate < need);
  }

  private static RankedPool cheapestWithRoom(
      List<RankedPool> ranked, Map<String, Integer> counts, boolean spot, int share) {
    for (RankedPool p : ranked) {
      int n = counts.get(p.name());
      if (p.spot() == spot && n < p.limit() && n < share) {
        return p;
      }
    }
    return null;
  }

  /** Why spot pools could not take more: blocked, unreliable or full. */
  private static String spotShortfall(List<RankedPool> ranked, Map<String, Integer> counts) {
    List<RankedPool> spot = ranked.stream().filter(RankedPool::spot).toList();
    if (spot.isEmpty()) {
      return "";
    }
    return spot.stream()
        .filter(p -> counts.get(p.name()) >= p.limit())
        .map(
            p ->
                p.name()
                    + " "
                    + (p.standing() == PoolStanding.USABLE
                        ? "is full (" + p.limit() + ")"
                        : p.why()))
        .collect(Collectors.joining("; "));
  }
}
