package dev.spotbatch.dispatcher.fleet.scaling;

import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * What one tick decided. The provider applies {@link #pools() desired} per pool and removes exactly
 * {@link #removals()}; it never picks a worker to remove on its own.
 *
 * @param pools every pool of the snapshot, in the snapshot's order
 * @param removals the idle workers to remove now
 * @param retirements busy workers to ask to stop leasing, so that they turn idle and can be removed
 *     on a later tick (never stopped while busy); asking again is harmless
 * @param decisions the changes of this tick (also kept in the autoscaler's log)
 * @param jobs each unfinished job's outlook
 * @param requiredRecordsPerSecond the throughput the jobs need (infinite when a deadline has
 *     passed)
 * @param plannedRecordsPerSecond the expected throughput of the planned working workers
 */
public record ScalingPlan(
    Instant at,
    CapacityMode mode,
    List<PoolPlan> pools,
    List<WorkerRemoval> removals,
    List<WorkerRemoval> retirements,
    List<Decision> decisions,
    List<JobOutlook> jobs,
    double requiredRecordsPerSecond,
    double plannedRecordsPerSecond) {
  public ScalingPlan {
    pools = List.copyOf(pools);
    removals = List.copyOf(removals);
    retirements = List.copyOf(retirements);
    decisions = List.copyOf(decisions);
    jobs = List.copyOf(jobs);
  }

  /** The plan of {@code pool}. */
  public PoolPlan pool(String pool) {
    return pools.stream()
        .filter(p -> p.pool().equals(pool))
        .findFirst()
        .orElseThrow(() -> new NoSuchElementException("no pool " + pool));
  }

  /** The desired capacity of {@code pool}. */
  public int desired(String pool) {
    return pool(pool).desired();
  }

  /** The desired capacity over all pools. */
  public int totalDesired() {
    return pools.stream().mapToInt(PoolPlan::desired).sum();
  }
}
