package dev.spotbatch.dispatcher.sim;

import dev.spotbatch.dispatcher.fleet.scaling.IncidentKind;
import dev.spotbatch.dispatcher.fleet.scaling.JobDemand;
import dev.spotbatch.dispatcher.fleet.scaling.PoolIncident;
import dev.spotbatch.dispatcher.fleet.scaling.PoolMeasurements;
import dev.spotbatch.dispatcher.fleet.scaling.PoolPlan;
import dev.spotbatch.dispatcher.fleet.scaling.PoolSnapshot;
import dev.spotbatch.dispatcher.fleet.scaling.PoolSpec;
import dev.spotbatch.dispatcher.fleet.scaling.QueueSnapshot;
import dev.spotbatch.dispatcher.fleet.scaling.ScalingPlan;
import dev.spotbatch.dispatcher.fleet.scaling.ScalingSnapshot;
import dev.spotbatch.dispatcher.fleet.scaling.WorkerRemoval;
import dev.spotbatch.dispatcher.fleet.scaling.WorkerSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The simulated capacity provider: what a {@link dev.spotbatch.dispatcher.fleet.CapacityProvider}
 * does, against the market instead of a cloud. It reports pools, workers and incidents to the
 * autoscaler as a snapshot, applies its plan exactly as a provider must (launch up to each pool's
 * desired count, remove exactly the named idle workers), fails launches where the pool is out of
 * capacity, and bills every machine from launch to exit at the market's hourly prices.
 */
final class SimFleet {
  /** Incidents older than this are no longer reported (the autoscaler's window is 1 h). */
  private static final Duration INCIDENT_MEMORY = Duration.ofHours(2);

  private final Map<String, ScenarioPool> pools = new LinkedHashMap<>();
  private final Map<String, Integer> desired = new LinkedHashMap<>();
  private final Map<String, PoolLedger> ledgers = new LinkedHashMap<>();
  private final Map<String, SimWorker> workers = new LinkedHashMap<>();
  private final List<PoolIncident> incidents = new ArrayList<>();
  private final SpotMarket market;
  private final double recordsPerSecond;
  private final SplittableRandom launches;
  private long launched;

  /** What one pool cost and suffered in a run. */
  static final class PoolLedger {
    double usd;
    double seconds;
    int launches;
    int launchFailures;
    int interruptions;
  }

  SimFleet(List<ScenarioPool> offered, SpotMarket market, double recordsPerSecond, long seed) {
    for (ScenarioPool p : offered) {
      pools.put(p.name(), p);
      desired.put(p.name(), 0);
      ledgers.put(p.name(), new PoolLedger());
    }
    this.market = market;
    this.recordsPerSecond = recordsPerSecond;
    this.launches = new SplittableRandom(SpotMarket.mix(seed, 17, 0));
  }

  ScalingSnapshot snapshot(Instant now, List<JobDemand> jobs, QueueSnapshot queue) {
    incidents.removeIf(i -> i.at().isBefore(now.minus(INCIDENT_MEMORY)));
    List<PoolSnapshot> ps = new ArrayList<>();
    for (ScenarioPool p : pools.values()) {
      PoolSpec spec =
          new PoolSpec(
              p.name(),
              p.provider(),
              p.instanceType(),
              p.zone(),
              p.kind().lifecycle(),
              market.usdPerHour(p, now));
      ps.add(
          new PoolSnapshot(
              spec, desired.get(p.name()), count(p.name()), null, null, PoolMeasurements.NONE));
    }
    List<WorkerSnapshot> ws = workers.values().stream().map(SimWorker::snapshot).toList();
    return new ScalingSnapshot(jobs, queue, ps, ws, incidents);
  }

  /**
   * Applies a plan: removes its removals, then launches up to each pool's desired count. Returns
   * the workers launched; a launch into a pool out of capacity fails and is reported as an
   * incident, as a cloud reports InsufficientInstanceCapacity.
   */
  List<SimWorker> apply(ScalingPlan plan, Instant now) {
    for (WorkerRemoval r : plan.removals()) {
      SimWorker w = workers.get(r.workerId());
      if (w != null && w.snapshot().removable()) {
        exit(w, now);
      }
    }
    List<SimWorker> started = new ArrayList<>();
    for (PoolPlan pp : plan.pools()) {
      ScenarioPool p = pools.get(pp.pool());
      desired.put(p.name(), pp.desired());
      for (int n = count(p.name()); n < pp.desired(); n++) {
        boolean full = p.capacity() != null && staying(p.name()) >= p.capacity();
        if (full || launches.nextDouble() < p.launchFailureRate()) {
          ledgers.get(p.name()).launchFailures++;
          incidents.add(
              new PoolIncident(
                  p.name(),
                  IncidentKind.LAUNCH_FAILURE,
                  now,
                  "InsufficientInstanceCapacity: no " + p.instanceType() + " in " + p.zone()));
          break;
        }
        SimWorker w = new SimWorker(p.name() + "-" + (++launched), p, now, recordsPerSecond);
        workers.put(w.id, w);
        ledgers.get(p.name()).launches++;
        started.add(w);
      }
    }
    return started;
  }

  /** Records the interruption of {@code w} (with or without a notice). */
  void interrupted(SimWorker w, Instant at, String detail) {
    ledgers.get(w.pool.name()).interruptions++;
    incidents.add(new PoolIncident(w.pool.name(), IncidentKind.INTERRUPTION, at, detail));
  }

  /** The machine is gone: bill it from launch to {@code at}. */
  void exit(SimWorker w, Instant at) {
    if (workers.remove(w.id) == null) {
      return;
    }
    PoolLedger l = ledgers.get(w.pool.name());
    l.usd += market.usd(w.pool, w.launchedAt, at);
    l.seconds += Duration.between(w.launchedAt, at).toNanos() / 1e9;
  }

  boolean present(SimWorker w) {
    return workers.containsKey(w.id);
  }

  List<SimWorker> workers() {
    return List.copyOf(workers.values());
  }

  Map<String, PoolLedger> ledgers() {
    return ledgers;
  }

  ScenarioPool pool(String name) {
    return pools.get(name);
  }

  private int count(String pool) {
    return (int) workers.values().stream().filter(w -> w.pool.name().equals(pool)).count();
  }

  private int staying(String pool) {
    return (int)
        workers.values().stream().filter(w -> w.pool.name().equals(pool) && !w.leaving()).count();
  }
}
