package dev.spotbatch.dispatcher.fleet.scaling;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything one autoscaler tick looks at, taken at one moment. Immutable.
 *
 * @param jobs the unfinished jobs
 * @param queue the work queue
 * @param pools every pool the providers can fill (names unique)
 * @param workers every worker present now, leaving ones included
 * @param incidents recent interruptions and launch failures
 */
public record ScalingSnapshot(
    List<JobDemand> jobs,
    QueueSnapshot queue,
    List<PoolSnapshot> pools,
    List<WorkerSnapshot> workers,
    List<PoolIncident> incidents) {
  public ScalingSnapshot {
    jobs = List.copyOf(jobs);
    queue = Objects.requireNonNullElse(queue, QueueSnapshot.EMPTY);
    pools = List.copyOf(pools);
    workers = List.copyOf(workers);
    incidents = List.copyOf(incidents);
    Set<String> names = new HashSet<>();
    for (PoolSnapshot p : pools) {
      if (!names.add(p.name())) {
        throw new IllegalArgumentException("pool names must be unique: " + p.name());
      }
    }
    for (WorkerSnapshot w : workers) {
      if (!names.contains(w.pool())) {
        throw new IllegalArgumentException(
            "worker " + w.id() + " belongs to unknown pool " + w.pool());
      }
    }
  }
}
