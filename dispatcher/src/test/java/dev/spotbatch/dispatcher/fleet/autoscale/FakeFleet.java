package dev.spotbatch.dispatcher.fleet.autoscale;

import dev.spotbatch.dispatcher.fleet.CapacityProvider;
import dev.spotbatch.dispatcher.fleet.InterruptKind;
import dev.spotbatch.dispatcher.fleet.Interruption;
import dev.spotbatch.dispatcher.fleet.Pool;
import dev.spotbatch.dispatcher.fleet.WorkerState;
import dev.spotbatch.dispatcher.fleet.WorkerView;
import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.Lifecycle;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A capacity provider in memory with a spot and an on-demand pool: {@link #setDesired} adds
 * STARTING workers (and drops those that have not started), tests move workers along, and {@link
 * #scaleIn} removes a worker and records it, refusing one that holds a lease.
 */
final class FakeFleet implements CapacityProvider {
  static final Pool SPOT = new Pool("t-spot", "test", "m7i.large", "z-1a", Lifecycle.SPOT);
  static final Pool ON_DEMAND =
      new Pool("t-on-demand", "test", "m7i.large", "z-1a", Lifecycle.ON_DEMAND);

  /** A worker the fake holds. */
  static final class Worker {
    final String id;
    final Pool pool;
    WorkerState state = WorkerState.STARTING;
    Integer leases;
    Interruption notice;

    Worker(String id, Pool pool) {
      this.id = id;
      this.pool = pool;
    }
  }

  final Clock clock;
  final Map<Pool, Integer> desired = new LinkedHashMap<>(Map.of(SPOT, 0, ON_DEMAND, 0));
  final Map<String, Worker> workers = new LinkedHashMap<>();
  final List<String> scaledIn = new ArrayList<>();
  final List<String> refusedScaleIn = new ArrayList<>();
  private int next;

  FakeFleet(Clock clock) {
    this.clock = clock;
  }

  @Override
  public String name() {
    return "test";
  }

  @Override
  public List<Pool> pools() {
    return List.of(SPOT, ON_DEMAND);
  }

  @Override
  public int desired(Pool pool) {
    return desired.get(pool);
  }

  @Override
  public void setDesired(Pool pool, int count) {
    desired.put(pool, count);
    List<Worker> mine = workers.values().stream().filter(w -> w.pool.equals(pool)).toList();
    for (int i = mine.size(); i < count; i++) {
      String id = "w" + (++next);
      workers.put(id, new Worker(id, pool));
    }
    int extra = mine.size() - count;
    for (Worker w : mine) {
      if (extra > 0 && w.state == WorkerState.STARTING) {
        workers.remove(w.id);
        extra--;
      }
    }
  }

  @Override
  public boolean scaleIn(Pool pool, String workerId) {
    Worker w = workers.get(workerId);
    if (w == null || !w.pool.equals(pool) || w.leases == null || w.leases > 0) {
      refusedScaleIn.add(workerId);
      return false;
    }
    workers.remove(workerId);
    desired.merge(pool, -1, Integer::sum);
    scaledIn.add(workerId);
    return true;
  }

  /** Every worker of the fleet is up and holds {@code leases}. */
  void allRunning(int leases) {
    workers.values().forEach(w -> running(w.id, leases));
  }

  void running(String id, int leases) {
    Worker w = workers.get(id);
    w.state = WorkerState.RUNNING;
    w.leases = leases;
  }

  void notice(String id) {
    Worker w = workers.get(id);
    w.notice =
        new Interruption(
            id, "i-" + id, InterruptKind.SPOT, clock.instant(), clock.instant().plusSeconds(120));
  }

  void gone(String id) {
    Worker w = workers.remove(id);
    desired.merge(w.pool, -1, Integer::sum);
  }

  List<Worker> in(Pool pool) {
    return workers.values().stream().filter(w -> w.pool.equals(pool)).toList();
  }

  @Override
  public void refresh() {}

  @Override
  public List<WorkerView> workers() {
    List<WorkerView> views = new ArrayList<>();
    for (Worker w : workers.values()) {
      InstanceFacts facts =
          new InstanceFacts(
              "test", "i-" + w.id, w.pool.instanceType(), "r-1", w.pool.zone(), w.pool.lifecycle());
      views.add(
          new WorkerView(
              w.id,
              w.state,
              0,
              new WorkerView.Machine(1, facts, clock.instant(), null, null, null),
              w.leases == null ? null : new WorkerView.LeaseReport(w.leases, List.of()),
              w.notice,
              List.of()));
    }
    return views;
  }

  @Override
  public void close() {}
}
