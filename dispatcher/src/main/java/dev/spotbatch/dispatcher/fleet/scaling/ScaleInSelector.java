package dev.spotbatch.dispatcher.fleet.scaling;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * Picks the workers to remove from a pool: only idle ones without a lease or a notice, the longest
 * idle first. Never a busy, ready, starting or leaving worker, whatever the count asked for.
 */
final class ScaleInSelector {
  private static final Comparator<WorkerSnapshot> LONGEST_IDLE_FIRST =
      Comparator.comparing(
              WorkerSnapshot::idleSince, Comparator.nullsLast(Comparator.<Instant>naturalOrder()))
          .thenComparing(WorkerSnapshot::id);

  List<WorkerSnapshot> select(List<WorkerSnapshot> workers, String pool, int count) {
    if (count <= 0) {
      return List.of();
    }
    return workers.stream()
        .filter(w -> w.pool().equals(pool) && w.removable())
        .sorted(LONGEST_IDLE_FIRST)
        .limit(count)
        .toList();
  }
}
