package dev.spotbatch.dispatcher.fleet.scaling;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Ranks pools by expected cost per record = price / (throughput x (1 - expected rework)), cheapest
 * first, and says which may get new workers. Throughput: the pool's measured rate, else the mean of
 * its workers' measured rates, else the mean over all measured workers, else the assumed rate.
 * Interruptions: measured, else estimated from the recent incidents (starting from the assumed
 * rate), else the assumed spot rate (0 for on-demand). Rework: measured, else interruptions x work
 * lost per interruption.
 */
final class PoolRanker {
  /** Keeps the cost finite for a pool that would redo (nearly) everything. */
  static final double MAX_REWORK = 0.95;

  private final ScalingSettings settings;

  PoolRanker(ScalingSettings settings) {
    this.settings = settings;
  }

  List<RankedPool> rank(ScalingSnapshot snapshot, PoolBlocks blocks, Instant now) {
    OptionalDouble fleetRate =
        snapshot.workers().stream()
            .filter(w -> w.recordsPerSecond() != null && w.recordsPerSecond() > 0)
            .mapToDouble(WorkerSnapshot::recordsPerSecond)
            .average();
    List<RankedPool> ranked = new ArrayList<>();
    for (PoolSnapshot pool : snapshot.pools()) {
      List<WorkerSnapshot> workers =
          snapshot.workers().stream().filter(w -> w.pool().equals(pool.name())).toList();
      int leaving = (int) workers.stream().filter(WorkerSnapshot::leaving).count();
      int working = workers.size() - leaving;
      double rate = throughput(pool, workers, fleetRate);
      double interruptions = interruptionsPerHour(pool, snapshot, workers.size(), now);
      double rework = rework(pool, interruptions);
      double usdPerMillion = pool.spec().usdPerHour() / (3600 * rate * (1 - rework)) * 1e6;

      Instant blockedUntil = latest(pool.blockedUntil(), blocks.until(pool.name(), now));
      PoolStanding standing = PoolStanding.USABLE;
      String why = "";
      if (blockedUntil != null && blockedUntil.isAfter(now)) {
        standing = PoolStanding.BLOCKED;
        String cause = blocks.reason(pool.name(), now);
        why =
            "blocked until "
                + blockedUntil
                + (cause.isEmpty() ? "" : " after a failed launch (" + cause + ")");
      } else if (pool.spec().spot() && interruptions > settings.maxSpotInterruptionsPerHour()) {
        standing = PoolStanding.UNRELIABLE;
        why =
            "interrupted "
                + Reasons.perHour(interruptions)
                + " per worker, over the "
                + Reasons.perHour(settings.maxSpotInterruptionsPerHour())
                + " threshold";
      } else {
        blockedUntil = null;
      }
      ranked.add(
          new RankedPool(
              pool,
              rate,
              interruptions,
              rework,
              usdPerMillion,
              working,
              leaving,
              standing,
              blockedUntil,
              why));
    }
    ranked.sort(
        Comparator.comparingDouble(RankedPool::usdPerMillionRecords)
            .thenComparing(RankedPool::name));
    return ranked;
  }

  private double throughput(
      PoolSnapshot pool, List<WorkerSnapshot> workers, OptionalDouble fleetRate) {
    if (pool.measured().recordsPerSecondPerWorker() != null) {
      return pool.measured().recordsPerSecondPerWorker();
    }
    OptionalDouble own =
        workers.stream()
            .filter(w -> w.recordsPerSecond() != null && w.recordsPerSecond() > 0)
            .mapToDouble(WorkerSnapshot::recordsPerSecond)
            .average();
    if (own.isPresent()) {
      return own.getAsDouble();
    }
    return fleetRate.orElse(settings.assumedRecordsPerSecondPerWorker());
  }

  private double interruptionsPerHour(
      PoolSnapshot pool, ScalingSnapshot snapshot, int workers, Instant now) {
    if (pool.measured().interruptionsPerHour() != null) {
      return pool.measured().interruptionsPerHour();
    }
    Instant since = now.minus(settings.incidentWindow());
    long recent =
        snapshot.incidents().stream()
            .filter(i -> i.kind() == IncidentKind.INTERRUPTION)
            .filter(i -> i.pool().equals(pool.name()) && i.at().isAfter(since))
            .count();
    double prior = pool.spec().spot() ? settings.assumedSpotInterruptionsPerHour() : 0;
    if (recent == 0) {
      return prior;
    }
    // the recent count over the worker-hours of the window, starting from the assumed rate
    // weighted as interruptionPriorHours of experience, so one notice does not condemn a pool
    double hours = settings.incidentWindow().toMillis() / (double) Duration.ofHours(1).toMillis();
    double exposure = Math.max(1, workers) * hours;
    double weight = settings.interruptionPriorHours();
    return (recent + prior * weight) / (exposure + weight);
  }

  private double rework(PoolSnapshot pool, double interruptionsPerHour) {
    double r =
        pool.measured().reworkFraction() != null
            ? pool.measured().reworkFraction()
            : interruptionsPerHour * settings.reworkPerInterruption().toMillis() / 3_600_000.0;
    return Math.min(MAX_REWORK, Math.max(0, r));
  }

  private static Instant latest(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || a.isAfter(b) ? a : b;
  }
}
