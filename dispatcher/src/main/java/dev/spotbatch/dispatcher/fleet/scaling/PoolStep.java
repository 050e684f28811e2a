package dev.spotbatch.dispatcher.fleet.scaling;

import java.util.List;

/**
 * One pool's move in one tick.
 *
 * @param previous the working target before
 * @param wanted what the allocator wanted (the target may follow it only slowly downwards)
 * @param target the working target after
 * @param removals the idle workers removed to get there
 * @param retirements busy surplus workers asked to stop leasing: they stay in the target (nothing
 *     running is stopped) and leave through {@code removals} once idle
 * @param heldAtMax true when a scale-up was cut to stay within the maximum
 */
record PoolStep(
    RankedPool pool,
    int previous,
    int wanted,
    int target,
    List<WorkerSnapshot> removals,
    List<WorkerSnapshot> retirements,
    boolean heldAtMax) {

  int desired() {
    return target + pool.leaving();
  }

  PoolStep withTarget(int newTarget, boolean held) {
    return new PoolStep(pool, previous, wanted, newTarget, removals, retirements, held);
  }
}
