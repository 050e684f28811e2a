package dev.spotbatch.dispatcher.fleet.scaling;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Names the cause of each pool's change and writes its reason in words. */
final class DecisionWriter {
  private final ScalingSettings settings;

  DecisionWriter(ScalingSettings settings) {
    this.settings = settings;
  }

  /**
   * The decision for one pool's step; null when neither its desired capacity nor its working target
   * changes. A rising target that a departing worker cancels out (same desired count) is a decision
   * too: the count stays, but a new worker takes the leaver's place.
   */
  Decision write(
      Instant now,
      PoolStep step,
      PoolMemory before,
      Demand demand,
      Allocation allocation,
      CapacityMode mode,
      CapacityMode previousMode,
      List<WorkerSnapshot> workers) {
    RankedPool pool = step.pool();
    int from = before.desired;
    int to = step.desired();
    int workingChange = step.target() - step.previous();
    int leavingChange = pool.leaving() - before.leaving;
    if (from == to && workingChange == 0) {
      return lost(now, step, before);
    }
    boolean backToSpot =
        previousMode == CapacityMode.ON_DEMAND_FALLBACK && mode == CapacityMode.SPOT;
    DecisionCause cause;
    List<String> parts = new ArrayList<>();
    if (workingChange > 0) {
      if (!pool.spot() && mode == CapacityMode.ON_DEMAND_FALLBACK) {
        cause = DecisionCause.FALLBACK;
        parts.add("spot cannot meet the deadlines: " + allocation.spotShortfall());
      } else if (pool.spot() && backToSpot) {
        cause = DecisionCause.RETURN_TO_SPOT;
        parts.add("spot can meet the deadlines again");
      } else {
        cause = DecisionCause.SCALE_UP;
      }
      parts.add(need(demand, allocation));
      parts.add(describe(pool));
      if (step.heldAtMax()) {
        parts.add("held at the maximum of " + settings.maxWorkers() + " workers");
      }
    } else if (workingChange < 0) {
      if (pool.standing() == PoolStanding.BLOCKED) {
        cause = DecisionCause.BLOCKED;
        parts.add(pool.why() + "; pending launches cancelled, capacity goes to other pools");
      } else if (pool.standing() == PoolStanding.UNRELIABLE) {
        cause = DecisionCause.UNRELIABLE;
        parts.add(pool.why() + "; pending launches cancelled, capacity goes to other pools");
      } else {
        cause = !pool.spot() && backToSpot ? DecisionCause.RETURN_TO_SPOT : DecisionCause.SCALE_IN;
        parts.add(need(demand, allocation));
        parts.add(
            "the highest need in the last "
                + Reasons.duration(settings.scaleInStabilization())
                + " is "
                + step.wanted()
                + " here, cool-down "
                + Reasons.duration(settings.scaleInCooldown())
                + " passed");
      }
      if (!step.removals().isEmpty()) {
        parts.add(
            "removing idle "
                + step.removals().stream()
                    .map(WorkerSnapshot::id)
                    .collect(Collectors.joining(", ")));
      }
    } else if (leavingChange > 0) {
      cause = DecisionCause.REPLACEMENT;
    } else {
      cause = DecisionCause.DEPARTURE;
      parts.add((-leavingChange) + " leaving worker(s) gone");
    }
    if (leavingChange > 0) {
      parts.add("replacing " + leavers(workers, pool.name()) + " at once, while they drain");
    } else if (leavingChange < 0 && workingChange != 0) {
      parts.add((-leavingChange) + " leaving worker(s) gone");
    }
    String reason =
        "working " + step.previous() + " -> " + step.target() + ": " + String.join("; ", parts);
    return new Decision(now, pool.name(), from, to, cause, reason);
  }

  /**
   * A provider that counts fewer wanted workers than the plan keeps: a worker left without a notice
   * the autoscaler saw (killed, crashed, or gone before a tick noticed), and the provider lowered
   * its count. Asking for the plan's count again launches its replacement: a decision like any
   * other, so every worker that appears is explained. Null when the counts agree.
   */
  private static Decision lost(Instant now, PoolStep step, PoolMemory before) {
    int has = step.pool().pool().desired();
    if (has >= step.desired()) {
      return null;
    }
    return new Decision(
        now,
        step.pool().name(),
        has,
        step.desired(),
        DecisionCause.REPLACEMENT,
        "working "
            + before.target
            + " -> "
            + step.target()
            + ": "
            + (step.desired() - has)
            + " worker(s) left without a notice seen (killed, crashed or gone between ticks) and"
            + " the provider wants "
            + has
            + "; replacing them");
  }

  /**
   * The decision to ask busy surplus workers of an on-demand pool to stop leasing; null when none
   * is newly asked. The desired count does not change: each goes once idle, through scale-in.
   */
  Decision stopLeasing(
      Instant now,
      PoolStep step,
      List<WorkerSnapshot> newlyAsked,
      Demand demand,
      Allocation allocation) {
    if (newlyAsked.isEmpty()) {
      return null;
    }
    String who =
        newlyAsked.stream()
            .map(w -> w.id() + " (" + w.leases() + " lease(s))")
            .collect(Collectors.joining(", "));
    String reason =
        "working "
            + step.target()
            + " -> "
            + step.target()
            + ": spot carries the load again ("
            + need(demand, allocation)
            + "), "
            + step.wanted()
            + " wanted here; asking busy "
            + who
            + " to stop leasing: each finishes its items and is removed once idle";
    return new Decision(
        now,
        step.pool().name(),
        step.desired(),
        step.desired(),
        DecisionCause.STOP_LEASING,
        reason);
  }

  private static String need(Demand demand, Allocation allocation) {
    String drivers = demand.drivers().isEmpty() ? "no work" : String.join(", ", demand.drivers());
    String s =
        "need "
            + Reasons.rate(demand.totalRate())
            + " rec/s ("
            + drivers
            + "), plan "
            + Reasons.rate(allocation.plannedRate())
            + " rec/s";
    return allocation.shortOfDemand() ? s + ", short of the need" : s;
  }

  private static String describe(RankedPool pool) {
    return String.format(
        "%s: %s per 1M records at %s rec/s per worker, %s interruptions, rework %.1f%%",
        pool.name(),
        Reasons.usd(pool.usdPerMillionRecords()),
        Reasons.rate(pool.recordsPerSecond()),
        Reasons.perHour(pool.interruptionsPerHour()),
        pool.rework() * 100);
  }

  private static String leavers(List<WorkerSnapshot> workers, String pool) {
    return workers.stream()
        .filter(w -> w.pool().equals(pool) && w.leaving())
        .map(
            w ->
                w.id()
                    + (w.noticeAt() != null ? " (notice at " + w.noticeAt() + ")" : " (draining)"))
        .collect(Collectors.joining(", "));
  }
}
