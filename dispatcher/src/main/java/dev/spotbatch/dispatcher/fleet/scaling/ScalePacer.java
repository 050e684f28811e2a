package dev.spotbatch.dispatcher.fleet.scaling;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How fast each pool follows the allocation: up at once; down only after the cool-down since the
 * pool's last change, only as low as the highest need of the stabilization window, and only by
 * removing idle workers. An on-demand pool above its need once spot can carry the load again (no
 * spot worker still starting) also asks its busy surplus workers to stop leasing, so they turn idle
 * and go instead of working to the end of the backlog at on-demand prices. A blocked or unreliable
 * pool drops its pending launches at once (nothing running is stopped for that). The total of
 * working targets stays within the maximum: scale-ups are cut, the most expensive pool first.
 */
final class ScalePacer {
  private final ScalingSettings settings;
  private final ScaleInSelector selector = new ScaleInSelector();

  ScalePacer(ScalingSettings settings) {
    this.settings = settings;
  }

  List<PoolStep> pace(
      List<RankedPool> ranked,
      Allocation allocation,
      Map<String, PoolMemory> memory,
      List<WorkerSnapshot> workers,
      Instant now) {
    List<PoolStep> steps = new ArrayList<>();
    Set<String> spotPools = new HashSet<>();
    ranked.stream().filter(RankedPool::spot).forEach(p -> spotPools.add(p.name()));
    boolean spotArriving =
        workers.stream()
            .anyMatch(w -> w.phase() == WorkerPhase.STARTING && spotPools.contains(w.pool()));
    // surplus on-demand workers stop leasing only when spot workers are there to take the load
    boolean spotCarries =
        !spotArriving && ranked.stream().anyMatch(p -> p.spot() && p.working() > 0);
    for (RankedPool pool : ranked) {
      PoolMemory m = memory.get(pool.name());
      int wanted = allocation.count(pool.name());
      m.remember(now, wanted, settings.scaleInStabilization());
      int current = m.target;
      boolean cooled = m.cooledDown(now, settings.scaleInCooldown());
      int goal = wanted;
      if (wanted < current) {
        goal = current;
        if (pool.standing() != PoolStanding.USABLE) {
          goal = Math.max(wanted, Math.min(goal, pool.working()));
        }
        if (cooled) {
          goal = Math.max(wanted, Math.min(goal, m.highestRecentNeed()));
        }
      }
      int excess = pool.working() - goal;
      List<WorkerSnapshot> removals =
          excess > 0 && cooled ? selector.select(workers, pool.name(), excess) : List.of();
      int target = Math.max(goal, pool.working() - removals.size());
      List<WorkerSnapshot> retirements = List.of();
      if (!pool.spot() && cooled && spotCarries && target > goal) {
        retirements = selector.selectBusy(workers, pool.name(), target - goal, m.retiring);
      }
      steps.add(new PoolStep(pool, current, wanted, target, removals, retirements, false));
    }
    return holdMaximum(steps);
  }

  /** Cuts scale-ups, most expensive pool first (steps are cheapest first), to stay within max. */
  private List<PoolStep> holdMaximum(List<PoolStep> steps) {
    int over = steps.stream().mapToInt(PoolStep::target).sum() - settings.maxWorkers();
    for (int i = steps.size() - 1; i >= 0 && over > 0; i--) {
      PoolStep s = steps.get(i);
      int up = s.target() - Math.max(s.previous(), s.pool().working());
      if (up > 0) {
        int cut = Math.min(up, over);
        steps.set(i, s.withTarget(s.target() - cut, true));
        over -= cut;
      }
    }
    return steps;
  }
}
