package dev.spotbatch.dispatcher.fleet.scaling;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Picks the workers to remove from a pool: only idle ones without a lease or a notice, the longest
 * idle first. Never a busy, ready, starting or leaving worker, whatever the count asked for. Apart
 * from that, it names busy workers that are to stop leasing (so that they turn idle).
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

  /**
   * Picks busy workers to ask to stop leasing (never to stop): working, no notice; those already
   * asked first (so the same ones are asked again, not more), then the fewest leases (they turn
   * idle soonest).
   */
  List<WorkerSnapshot> selectBusy(
      List<WorkerSnapshot> workers, String pool, int count, Set<String> askedBefore) {
    if (count <= 0) {
      return List.of();
    }
    return workers.stream()
        .filter(w -> w.pool().equals(pool) && !w.leaving() && w.phase() == WorkerPhase.BUSY)
        .sorted(
            Comparator.comparing((WorkerSnapshot w) -> !askedBefore.contains(w.id()))
                .thenComparingInt(WorkerSnapshot::leases)
                .thenComparing(WorkerSnapshot::id))
        .limit(count)
        .toList();
  }
}
