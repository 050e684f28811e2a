package dev.spotbatch.dispatcher.fleet.scaling;

import dev.spotbatch.model.Lifecycle;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A provider as simple as the contract allows: it holds each pool's desired capacity, launches
 * workers (READY at once) up to it, and removes exactly the workers a plan names. Tests change
 * workers' phases and deliver notices by hand.
 */
final class TestFleet {
  private final Clock clock;
  private final Map<String, PoolSnapshot> pools = new LinkedHashMap<>();
  private final List<WorkerSnapshot> workers = new ArrayList<>();
  private final List<JobDemand> jobs = new ArrayList<>();
  private final List<PoolIncident> incidents = new ArrayList<>();
  private final java.util.Set<String> failing = new java.util.HashSet<>();
  private QueueSnapshot queue = QueueSnapshot.EMPTY;
  private int launched;

  TestFleet(Clock clock) {
    this.clock = clock;
  }

  static PoolSpec spot(String name, double usdPerHour) {
    return new PoolSpec(name, "test", "g5.xlarge", name + "-zone", Lifecycle.SPOT, usdPerHour);
  }

  static PoolSpec onDemand(String name, double usdPerHour) {
    return new PoolSpec(name, "test", "g5.xlarge", name + "-zone", Lifecycle.ON_DEMAND, usdPerHour);
  }

  TestFleet pool(PoolSpec spec) {
    return pool(spec, PoolMeasurements.NONE);
  }

  TestFleet pool(PoolSpec spec, PoolMeasurements measured) {
    pools.put(spec.name(), new PoolSnapshot(spec, 0, 0, null, null, measured));
    return this;
  }

  void measure(String pool, PoolMeasurements measured) {
    PoolSnapshot p = pools.get(pool);
    pools.put(
        pool, new PoolSnapshot(p.spec(), p.desired(), p.actual(), p.maxSize(), null, measured));
  }

  void job(JobDemand job) {
    jobs.removeIf(j -> j.jobId().equals(job.jobId()));
    jobs.add(job);
  }

  void finishJobs() {
    jobs.clear();
  }

  void queue(QueueSnapshot q) {
    queue = q;
  }

  /** Launches in {@code pool} fail (no worker appears) until {@link #launchesWork}. */
  void launchesFail(String pool) {
    failing.add(pool);
  }

  void launchesWork(String pool) {
    failing.remove(pool);
  }

  void launchFailure(String pool, String detail) {
    incidents.add(new PoolIncident(pool, IncidentKind.LAUNCH_FAILURE, clock.instant(), detail));
  }

  ScalingSnapshot snapshot() {
    List<PoolSnapshot> ps = new ArrayList<>();
    for (PoolSnapshot p : pools.values()) {
      int actual = (int) workers.stream().filter(w -> w.pool().equals(p.name())).count();
      ps.add(new PoolSnapshot(p.spec(), p.desired(), actual, p.maxSize(), null, p.measured()));
    }
    return new ScalingSnapshot(jobs, queue, ps, workers, incidents);
  }

  /** Applies a plan: removes its removals, then launches up to each pool's desired capacity. */
  void apply(ScalingPlan plan) {
    for (WorkerRemoval r : plan.removals()) {
      workers.removeIf(w -> w.id().equals(r.workerId()));
    }
    for (PoolPlan pp : plan.pools()) {
      PoolSnapshot p = pools.get(pp.pool());
      pools.put(
          p.name(),
          new PoolSnapshot(
              p.spec(), pp.desired(), p.actual(), p.maxSize(), p.blockedUntil(), p.measured()));
      long present = workers.stream().filter(w -> w.pool().equals(p.name())).count();
      boolean blocked = failing.contains(p.name());
      for (long i = present; i < pp.desired() && !blocked; i++) {
        workers.add(
            new WorkerSnapshot(
                p.name() + "-" + (++launched), p.name(), WorkerPhase.READY, 0, null, null, null));
      }
    }
  }

  /** One tick of a fresh scaler on the current snapshot, applying nothing. */
  ScalingPlan snapshotPlan(Autoscaler scaler) {
    return scaler.tick(snapshot());
  }

  /**
   * A fresh scaler's view after its own first tick and a launch failure in every failing pool: for
   * comparing settings on the same situation.
   */
  ScalingPlan snapshotPlan(Autoscaler scaler, String failure) {
    scaler.tick(snapshot());
    List<PoolIncident> extra = new ArrayList<>(incidents);
    for (String pool : failing) {
      extra.add(new PoolIncident(pool, IncidentKind.LAUNCH_FAILURE, clock.instant(), failure));
    }
    ScalingSnapshot s = snapshot();
    return scaler.tick(new ScalingSnapshot(s.jobs(), s.queue(), s.pools(), s.workers(), extra));
  }

  ScalingPlan tick(Autoscaler scaler) {
    ScalingPlan plan = scaler.tick(snapshot());
    apply(plan);
    return plan;
  }

  List<WorkerSnapshot> workers() {
    return List.copyOf(workers);
  }

  List<WorkerSnapshot> workers(String pool) {
    return workers.stream().filter(w -> w.pool().equals(pool)).toList();
  }

  void phase(String id, WorkerPhase phase, int leases) {
    replace(
        id,
        w ->
            new WorkerSnapshot(
                w.id(),
                w.pool(),
                phase,
                leases,
                w.recordsPerSecond(),
                w.noticeAt(),
                phase == WorkerPhase.IDLE ? clock.instant() : null));
  }

  /** Every worker of {@code pool} becomes {@code phase}. */
  void allPhase(String pool, WorkerPhase phase) {
    for (WorkerSnapshot w : workers(pool)) {
      phase(w.id(), phase, phase == WorkerPhase.BUSY ? 2 : 0);
    }
  }

  void notice(String id) {
    replace(
        id,
        w ->
            new WorkerSnapshot(
                w.id(),
                w.pool(),
                w.phase(),
                w.leases(),
                w.recordsPerSecond(),
                clock.instant(),
                w.idleSince()));
    incidents.add(
        new PoolIncident(
            workerPool(id), IncidentKind.INTERRUPTION, clock.instant(), "spot notice " + id));
  }

  /** The worker vanished without a notice and the provider lowered its pool's count for it. */
  void lost(String id) {
    String pool = workerPool(id);
    gone(id);
    PoolSnapshot p = pools.get(pool);
    pools.put(
        pool,
        new PoolSnapshot(
            p.spec(), p.desired() - 1, p.actual(), p.maxSize(), p.blockedUntil(), p.measured()));
  }

  void gone(String id) {
    workers.removeIf(w -> w.id().equals(id));
  }

  private String workerPool(String id) {
    return workers.stream().filter(w -> w.id().equals(id)).findFirst().orElseThrow().pool();
  }

  private void replace(String id, java.util.function.UnaryOperator<WorkerSnapshot> f) {
    for (int i = 0; i < workers.size(); i++) {
      if (workers.get(i).id().equals(id)) {
        workers.set(i, f.apply(workers.get(i)));
        return;
      }
    }
    throw new IllegalArgumentException("no worker " + id);
  }

  Instant now() {
    return clock.instant();
  }
}
