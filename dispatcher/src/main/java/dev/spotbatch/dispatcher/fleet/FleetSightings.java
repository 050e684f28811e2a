package dev.spotbatch.dispatcher.fleet;

import dev.spotbatch.dispatcher.cost.CostStore;
import dev.spotbatch.dispatcher.cost.MachineLedger;
import dev.spotbatch.dispatcher.cost.SessionEnd;
import dev.spotbatch.model.InstanceFacts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Machine time the workers cannot report themselves, from what a {@link CapacityProvider} sees: a
 * running machine's start (so the cost of a fleet that is still up counts), and a machine that
 * vanished without its worker's {@code WorkerStopped} (a kill, a crash, a kill at the deadline)
 * with the leases it held when last seen, which are priced as wasted work of their jobs. Call
 * {@link #observe} every few seconds; not thread-safe (one caller).
 */
public final class FleetSightings {
  /** One lease as last reported by a worker's health. */
  private record SeenLease(String jobId, String itemId, long recordsDone, Instant firstSeen) {}

  private record Seen(
      String workerId, InstanceFacts facts, Instant start, Map<String, SeenLease> leases) {}

  private final MachineLedger ledger;
  private final CostStore costs;
  private final Clock clock;
  private final Duration grace;
  private final Map<String, Seen> running = new HashMap<>();
  private final Set<String> settled = new HashSet<>();

  /**
   * @param grace how long after a machine's exit its worker's own {@code WorkerStopped} may still
   *     arrive before the machine counts as lost
   */
  public FleetSightings(MachineLedger ledger, CostStore costs, Clock clock, Duration grace) {
    this.ledger = ledger;
    this.costs = costs;
    this.clock = clock;
    this.grace = grace;
  }

  /** Records what {@code workers} show; never throws on a worker it cannot read. */
  public void observe(List<WorkerView> workers) {
    Instant now = clock.instant();
    for (WorkerView w : workers) {
      WorkerView.Machine m = w.machine();
      if (m != null && m.instance() != null && m.startedAt() != null && w.alive()) {
        String id = m.instance().instanceId();
        if (!settled.contains(id)) {
          Seen seen = running.get(id);
          if (seen == null) {
            seen = new Seen(w.id(), m.instance(), m.startedAt(), new HashMap<>());
            running.put(id, seen);
            ledger.running(w.id(), m.instance(), null, m.startedAt());
          }
          remember(seen, w.leases(), now);
        }
      }
      for (PastInstance p : w.history()) {
        settle(w.id(), p, now);
      }
    }
  }

  private void settle(String workerId, PastInstance p, Instant now) {
    String id = p.instanceId();
    if (id == null || settled.contains(id) || p.exitedAt() == null) {
      return;
    }
    Seen seen = running.get(id);
    if (seen == null) {
      settled.add(id); // never seen running: its facts are unknown, so nothing to price
      return;
    }
    boolean stoppedItself =
        costs.session(id).map(s -> s.ended() == SessionEnd.STOPPED).orElse(false);
    if (stoppedItself) {
      settle(id);
      return;
    }
    boolean killed = p.interruption() != null && p.interruption().kind() == InterruptKind.KILL;
    if (!killed && now.isBefore(p.exitedAt().plus(grace))) {
      return; // its WorkerStopped may still be on the queue (a killed process sends none)
    }
    String kind =
        p.interruption() != null
            ? p.interruption().kind().apiName()
            : p.killedAtDeadline() ? "killed-at-deadline" : null;
    Instant start = p.startedAt() != null ? p.startedAt() : seen.start();
    ledger.lost(workerId, seen.facts(), null, start, p.exitedAt(), kind);
    for (SeenLease l : seen.leases().values()) {
      ledger.lostWork(
          id + "/" + l.itemId(),
          workerId,
          seen.facts(),
          l.jobId(),
          l.itemId(),
          l.firstSeen().isBefore(start) ? start : l.firstSeen(),
          p.exitedAt(),
          l.recordsDone());
    }
    settle(id);
  }

  private void settle(String id) {
    settled.add(id);
    running.remove(id);
  }

  private static void remember(Seen seen, WorkerView.LeaseReport report, Instant now) {
    if (report == null || report.leases() == null) {
      return;
    }
    Set<String> current = new HashSet<>();
    for (Object o : report.leases()) {
      if (o instanceof Map<?, ?> m && m.get("itemId") != null && m.get("jobId") != null) {
        String item = String.valueOf(m.get("itemId"));
        long done = m.get("recordsDone") instanceof Number n ? n.longValue() : 0;
        current.add(item);
        seen.leases()
            .merge(
                item,
                new SeenLease(String.valueOf(m.get("jobId")), item, done, now),
                (old, next) ->
                    new SeenLease(old.jobId(), item, next.recordsDone(), old.firstSeen()));
      }
    }
    // a lease no longer listed ended with its own event (completed, checkpointed, handed back)
    seen.leases().keySet().retainAll(current);
  }
}
