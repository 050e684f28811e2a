package dev.spotbatch.dispatcher.fleet.local;

import dev.spotbatch.dispatcher.fleet.PastInstance;
import dev.spotbatch.dispatcher.fleet.Pool;
import dev.spotbatch.dispatcher.fleet.WorkerState;
import dev.spotbatch.dispatcher.fleet.WorkerView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * One worker slot: a stable id ({@code local-<n>}) and a succession of processes, with a bounded
 * history of the ended ones. Mutable; guarded by the {@link ProcessSupervisor}'s monitor.
 */
final class WorkerSlot {
  /** A process that has not answered its health check for this long still counts as running. */
  static final Duration STARTUP_GRACE = Duration.ofSeconds(90);

  final int n;
  final Pool pool;
  int generation;
  int restarts;
  int crashes;
  Instant notBefore;
  WorkerProcess current;
  private final Deque<PastInstance> history = new ArrayDeque<>();

  WorkerSlot(int n, Pool pool) {
    this.n = n;
    this.pool = pool;
  }

  String id() {
    return "local-" + n;
  }

  /** Remembers an ended process, newest first, keeping at most {@code limit}. */
  void remember(PastInstance past, int limit) {
    history.addFirst(past);
    while (history.size() > limit) {
      history.removeLast();
    }
  }

  /** What the fleet reports of this slot now. */
  WorkerView view(Instant now) {
    List<PastInstance> past = List.copyOf(history);
    WorkerProcess p = current;
    if (p == null) {
      return new WorkerView(id(), WorkerState.STOPPED, restarts, null, null, null, past);
    }
    boolean alive = p.alive();
    WorkerHealth h = alive ? p.health : null;
    WorkerView.Machine machine =
        new WorkerView.Machine(
            p.generation,
            p.facts,
            p.startedAt,
            p.process.pid(),
            alive ? p.imds.endpoint().toString() : null,
            p.port);
    WorkerView.LeaseReport leases =
        h == null ? null : new WorkerView.LeaseReport(h.activeLeases(), h.leases());
    return new WorkerView(
        id(), state(p, alive, now), restarts, machine, leases, alive ? p.interruption : null, past);
  }

  private static WorkerState state(WorkerProcess p, boolean alive, Instant now) {
    if (!alive) {
      return p.stopping ? WorkerState.STOPPED : WorkerState.LOST;
    }
    if (p.pending()
        || p.stopping
        || (p.health != null && Boolean.TRUE.equals(p.health.draining()))
        || (p.everHealthy && p.health != null && !p.health.up())) {
      return WorkerState.DRAINING;
    }
    if (p.everHealthy || !now.isBefore(p.startedAt.plus(STARTUP_GRACE))) {
      return WorkerState.RUNNING;
    }
    return WorkerState.STARTING;
  }
}
