package dev.spotbatch.dispatcher.fleet.autoscale;

import dev.spotbatch.dispatcher.fleet.CapacityProvider;
import dev.spotbatch.dispatcher.fleet.Interruption;
import dev.spotbatch.dispatcher.fleet.PastInstance;
import dev.spotbatch.dispatcher.fleet.Pool;
import dev.spotbatch.dispatcher.fleet.Throughput;
import dev.spotbatch.dispatcher.fleet.WorkerView;
import dev.spotbatch.dispatcher.fleet.scaling.IncidentKind;
import dev.spotbatch.dispatcher.fleet.scaling.JobDemand;
import dev.spotbatch.dispatcher.fleet.scaling.PoolIncident;
import dev.spotbatch.dispatcher.fleet.scaling.PoolMeasurements;
import dev.spotbatch.dispatcher.fleet.scaling.PoolSnapshot;
import dev.spotbatch.dispatcher.fleet.scaling.PoolSpec;
import dev.spotbatch.dispatcher.fleet.scaling.QueueSnapshot;
import dev.spotbatch.dispatcher.fleet.scaling.ScalingSnapshot;
import dev.spotbatch.dispatcher.fleet.scaling.WorkerPhase;
import dev.spotbatch.dispatcher.fleet.scaling.WorkerSnapshot;
import dev.spotbatch.dispatcher.job.JobBacklog;
import dev.spotbatch.dispatcher.job.JobRemaining;
import dev.spotbatch.queue.QueueStats;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reads one {@link ScalingSnapshot}: the unfinished jobs (job store), the work queue and its oldest
 * pending item, the provider's pools and workers with their phases and measured throughput, and
 * recent interruptions (remembered for the incident window, since a provider forgets a worker once
 * it is gone) and launch failures. Used by one thread (the autoscaler's).
 */
final class SnapshotReader {
  /** The sources a snapshot is read from. */
  record Sources(
      CapacityProvider provider,
      JobBacklog backlog,
      Supplier<QueueStats> queue,
      Throughput throughput,
      InterruptionRates interruptionRates,
      PoolPrices prices) {}

  /** A snapshot, and the provider's pools by name (to apply the plan to). */
  record Reading(ScalingSnapshot snapshot, Map<String, Pool> pools) {}

  private final Sources sources;
  private final Duration idleAfter;
  private final Duration incidentWindow;
  private final IdleTracker idle = new IdleTracker();
  private final Map<String, PoolIncident> interruptions = new HashMap<>();

  /**
   * @param idleAfter a worker without a lease for this long is idle (scale-in may take it)
   * @param incidentWindow how long an interruption is remembered
   */
  SnapshotReader(Sources sources, Duration idleAfter, Duration incidentWindow) {
    this.sources = sources;
    this.idleAfter = idleAfter;
    this.incidentWindow = incidentWindow;
  }

  Reading read(Instant now) {
    CapacityProvider provider = sources.provider();
    provider.refresh();
    Map<String, Pool> pools = new LinkedHashMap<>();
    provider.pools().forEach(p -> pools.put(p.name(), p));
    List<WorkerSnapshot> workers = new ArrayList<>();
    Map<String, Integer> actual = new HashMap<>();
    Set<String> seen = new HashSet<>();
    for (WorkerView w : provider.workers()) {
      Optional<Pool> pool = provider.poolOf(w).filter(p -> pools.containsKey(p.name()));
      if (pool.isEmpty()) {
        continue;
      }
      rememberInterruptions(w, pool.get(), now);
      WorkerSnapshot s = worker(w, pool.get(), now);
      if (s != null) {
        seen.add(w.id());
        workers.add(s);
        actual.merge(pool.get().name(), 1, Integer::sum);
      }
    }
    idle.retain(seen);
    interruptions.values().removeIf(i -> i.at().isBefore(now.minus(incidentWindow)));

    List<PoolSnapshot> poolSnapshots = new ArrayList<>();
    for (Pool p : pools.values()) {
      poolSnapshots.add(
          new PoolSnapshot(
              spec(p),
              provider.desired(p),
              actual.getOrDefault(p.name(), 0),
              null,
              null,
              new PoolMeasurements(
                  positive(sources.throughput().pool(p)),
                  notNegative(sources.interruptionRates().perWorkerHour(p)),
                  null)));
    }
    List<PoolIncident> incidents = new ArrayList<>(interruptions.values());
    provider.launchFailures().stream()
        .filter(i -> pools.containsKey(i.pool()))
        .forEach(incidents::add);
    return new Reading(
        new ScalingSnapshot(jobs(), queue(now), poolSnapshots, workers, incidents), pools);
  }

  PoolSpec spec(Pool p) {
    double price = sources.prices().usdPerHour(p);
    return new PoolSpec(
        p.name(),
        p.provider(),
        p.instanceType() == null ? "unknown" : p.instanceType(),
        p.zone() == null ? "unknown" : p.zone(),
        p.lifecycle(),
        price >= 0 && Double.isFinite(price) ? price : 0);
  }

  private List<JobDemand> jobs() {
    List<JobDemand> jobs = new ArrayList<>();
    for (JobRemaining r : sources.backlog().unfinished()) {
      jobs.add(
          new JobDemand(
              r.jobId(), r.remainingRecords(), r.remainingItems(), r.deadline(), r.priority()));
    }
    return jobs;
  }

  private QueueSnapshot queue(Instant now) {
    QueueStats stats = sources.queue().get();
    Duration oldest =
        sources
            .backlog()
            .oldestPendingSince()
            .map(t -> t.isAfter(now) ? Duration.ZERO : Duration.between(t, now))
            .orElse(null);
    Long inFlight = stats.inFlight().isPresent() ? stats.inFlight().getAsLong() : null;
    // a broker that cannot tell waiting from leased items (Kafka) counts them all as waiting
    long visible = stats.visible().orElse(stats.queued());
    return new QueueSnapshot(visible, inFlight, oldest);
  }

  /** The worker as the core sees it; null for one that is gone for good. */
  private WorkerSnapshot worker(WorkerView w, Pool pool, Instant now) {
    Interruption notice = w.interruption();
    Instant noticeAt = notice == null ? null : notice.requestedAt();
    Integer leases = w.leases() == null ? null : w.leases().active();
    WorkerPhase phase;
    Instant idleSince = null;
    switch (w.state()) {
      case STARTING, LOST -> phase = WorkerPhase.STARTING; // LOST: its replacement is on its way
      case DRAINING -> phase = WorkerPhase.DRAINING;
      case RUNNING -> {
        idleSince = idle.observe(w.id(), noticeAt == null ? leases : null, now);
        if (leases != null && leases > 0) {
          phase = WorkerPhase.BUSY;
        } else if (idleSince != null && !now.isBefore(idleSince.plus(idleAfter))) {
          phase = WorkerPhase.IDLE;
        } else {
          phase = WorkerPhase.READY;
        }
      }
      case STOPPED -> {
        return null;
      }
      default -> throw new IllegalStateException("unknown worker state " + w.state());
    }
    OptionalDouble rate = sources.throughput().worker(w.id());
    return new WorkerSnapshot(
        w.id(),
        pool.name(),
        phase,
        leases == null ? 0 : leases,
        rate.isPresent() && rate.getAsDouble() > 0 ? rate.getAsDouble() : null,
        noticeAt,
        phase == WorkerPhase.IDLE ? idleSince : null);
  }

  private void rememberInterruptions(WorkerView w, Pool pool, Instant now) {
    List<Interruption> all = new ArrayList<>();
    if (w.interruption() != null) {
      all.add(w.interruption());
    }
    for (PastInstance past : w.history()) {
      if (past.interruption() != null) {
        all.add(past.interruption());
      }
    }
    Instant since = now.minus(incidentWindow);
    for (Interruption i : all) {
      if (i.requestedAt() != null && i.requestedAt().isAfter(since)) {
        interruptions.putIfAbsent(
            i.instanceId() + "/" + i.kind(),
            new PoolIncident(
                pool.name(),
                IncidentKind.INTERRUPTION,
                i.requestedAt(),
                i.kind().apiName() + " " + i.instanceId()));
      }
    }
  }

  private static Double positive(OptionalDouble d) {
    return d.isPresent() && d.getAsDouble() > 0 && Double.isFinite(d.getAsDouble())
        ? d.getAsDouble()
        : null;
  }

  private static Double notNegative(OptionalDouble d) {
    return d.isPresent() && d.getAsDouble() >= 0 && Double.isFinite(d.getAsDouble())
        ? d.getAsDouble()
        : null;
  }
}
