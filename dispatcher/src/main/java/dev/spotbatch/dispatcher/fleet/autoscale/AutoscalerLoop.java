package dev.spotbatch.dispatcher.fleet.autoscale;

import dev.spotbatch.dispatcher.fleet.CapacityProvider;
import dev.spotbatch.dispatcher.fleet.Pool;
import dev.spotbatch.dispatcher.fleet.PoolView;
import dev.spotbatch.dispatcher.fleet.Throughput;
import dev.spotbatch.dispatcher.fleet.WorkerView;
import dev.spotbatch.dispatcher.fleet.scaling.Autoscaler;
import dev.spotbatch.dispatcher.fleet.scaling.Decision;
import dev.spotbatch.dispatcher.fleet.scaling.PoolPlan;
import dev.spotbatch.dispatcher.fleet.scaling.PoolSnapshot;
import dev.spotbatch.dispatcher.fleet.scaling.ScalingPlan;
import dev.spotbatch.dispatcher.fleet.scaling.ScalingSnapshot;
import dev.spotbatch.dispatcher.fleet.scaling.WorkerRemoval;
import dev.spotbatch.dispatcher.fleet.scaling.WorkerSnapshot;
import dev.spotbatch.dispatcher.job.JobBacklog;
import dev.spotbatch.queue.QueueStats;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link Autoscaler} against a {@link CapacityProvider}: every tick it reads a snapshot,
 * asks for a plan and applies it, removals first (only the idle workers the plan names, each
 * through {@link CapacityProvider#scaleIn}), then each pool's desired count. A tick never throws: a
 * failed one is logged and the next one starts from the world as it is then (the plan is state, not
 * a delta). {@link #tick()} runs on the caller's thread (tests); {@link #start()} runs it on the
 * thread {@code spotbatch-autoscaler}.
 */
public final class AutoscalerLoop implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AutoscalerLoop.class);

  private final Autoscaler autoscaler;
  private final CapacityProvider provider;
  private final SnapshotReader reader;
  private final AutoscalerMetrics metrics;
  private final Clock clock;
  private final Duration interval;
  private volatile List<PoolView> pools = List.of();
  private volatile ScalingPlan lastPlan;
  private ScheduledExecutorService timer;

  /**
   * @param interval the time between ticks (10 s by default)
   * @param idleAfter a worker without a lease for this long may be scaled in
   */
  public AutoscalerLoop(
      Autoscaler autoscaler,
      CapacityProvider provider,
      Sources sources,
      Clock clock,
      Duration interval,
      Duration idleAfter,
      MeterRegistry meters) {
    this.autoscaler = Objects.requireNonNull(autoscaler, "autoscaler");
    this.provider = Objects.requireNonNull(provider, "provider");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.interval = Objects.requireNonNull(interval, "interval");
    this.reader =
        new SnapshotReader(
            new SnapshotReader.Sources(
                provider,
                sources.backlog(),
                sources.queue(),
                sources.throughput(),
                sources.interruptionRates(),
                sources.prices()),
            idleAfter,
            autoscaler.settings().incidentWindow());
    this.metrics = new AutoscalerMetrics(meters);
  }

  /** What a snapshot is read from besides the provider. */
  public record Sources(
      JobBacklog backlog,
      Supplier<QueueStats> queue,
      Throughput throughput,
      InterruptionRates interruptionRates,
      PoolPrices prices) {}

  /** Ticks every interval on a named thread, from now. */
  public synchronized void start() {
    if (timer != null) {
      return;
    }
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "spotbatch-autoscaler");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(
        this::tick, 0, Math.max(1, interval.toMillis()), TimeUnit.MILLISECONDS);
    log.info(
        "autoscaler started: every {} over {} pool(s) of {}, {}",
        interval,
        provider.pools().size(),
        provider.name(),
        autoscaler.settings());
  }

  public synchronized boolean running() {
    return timer != null;
  }

  /** One round: snapshot, plan, apply. Never throws. */
  public void tick() {
    try {
      SnapshotReader.Reading reading = reader.read(clock.instant());
      ScalingPlan plan = autoscaler.tick(reading.snapshot());
      plan.decisions().forEach(metrics::decision);
      apply(plan, reading.snapshot(), reading.pools());
      lastPlan = plan;
      pools = views(reading, plan);
      metrics.pools(pools);
    } catch (RuntimeException e) {
      log.warn("autoscaler tick failed; trying again on the next one", e);
    }
  }

  private void apply(ScalingPlan plan, ScalingSnapshot snapshot, Map<String, Pool> byName) {
    Map<String, Integer> kept = new HashMap<>();
    for (WorkerRemoval r : plan.removals()) {
      Pool pool = byName.get(r.pool());
      boolean removed = pool != null && provider.scaleIn(pool, r.workerId());
      if (removed) {
        log.info("autoscaler: scaling in idle worker {} of pool {}", r.workerId(), r.pool());
      } else {
        // the plan's count left it out: asking for that count would let the provider pick a
        // worker to stop (an Auto Scaling group, or the local fleet, choosing one), busy or not
        kept.merge(r.pool(), 1, Integer::sum);
        log.info(
            "autoscaler: {} did not scale in worker {} of pool {} (busy again, gone, or not"
                + " supported); the next tick decides again",
            provider.name(),
            r.workerId(),
            r.pool());
      }
    }
    Map<String, Integer> retired = new HashMap<>();
    for (WorkerRemoval r : plan.retirements()) {
      Pool pool = byName.get(r.pool());
      if (pool != null && provider.stopLeasing(pool, r.workerId())) {
        // it left the pool's count (it goes once its items are done): the plan still counted it
        retired.merge(r.pool(), 1, Integer::sum);
      }
    }
    Map<String, Integer> departed = departedSince(snapshot);
    for (PoolPlan p : plan.pools()) {
      Pool pool = byName.get(p.pool());
      if (pool == null) {
        continue;
      }
      // a leaving worker that left since the snapshot no longer needs its place (a provider may
      // have lowered its count already): asking for it again would launch one worker too many
      int desired =
          Math.max(
              0,
              p.desired()
                  - departed.getOrDefault(p.pool(), 0)
                  - retired.getOrDefault(p.pool(), 0)
                  + kept.getOrDefault(p.pool(), 0));
      int now = provider.desired(pool);
      if (now != desired) {
        if (plan.decisions().stream().noneMatch(d -> d.pool().equals(p.pool()))) {
          log.info(
              "autoscaler: pool {} has {} wanted, the plan {}: a worker left before its notice"
                  + " was seen, or a change did not apply; asking for {}",
              p.pool(),
              now,
              p.desired(),
              desired);
        }
        provider.setDesired(pool, desired);
      }
    }
  }

  /** Per pool, the leaving workers of the snapshot that are gone now. */
  private Map<String, Integer> departedSince(ScalingSnapshot snapshot) {
    Set<String> alive = new HashSet<>();
    provider.workers().stream().filter(WorkerView::alive).forEach(w -> alive.add(w.id()));
    Map<String, Integer> departed = new HashMap<>();
    for (WorkerSnapshot w : snapshot.workers()) {
      if (w.leaving() && !alive.contains(w.id())) {
        departed.merge(w.pool(), 1, Integer::sum);
      }
    }
    return departed;
  }

  private List<PoolView> views(SnapshotReader.Reading reading, ScalingPlan plan) {
    List<PoolView> out = new ArrayList<>();
    for (PoolSnapshot s : reading.snapshot().pools()) {
      Pool pool = reading.pools().get(s.name());
      PoolPlan p = plan.pool(s.name());
      Instant blocked = p.blockedUntil();
      out.add(
          new PoolView(
              pool.name(),
              pool.provider(),
              pool.instanceType(),
              pool.zone(),
              pool.lifecycle(),
              provider.desired(pool),
              s.actual(),
              blocked != null && blocked.isAfter(plan.at()) ? blocked : null,
              p.interruptionsPerHour(),
              s.spec().usdPerHour()));
    }
    return List.copyOf(out);
  }

  /** The pools as of the last tick; empty before the first. */
  public List<PoolView> pools() {
    return pools;
  }

  /** The last plan; empty before the first tick. */
  public Optional<ScalingPlan> lastPlan() {
    return Optional.ofNullable(lastPlan);
  }

  /** The last {@code limit} decisions, newest first. */
  public List<Decision> decisions(int limit) {
    return autoscaler.decisions(limit);
  }

  /** How many decisions are kept. */
  public int decisionsKept() {
    return autoscaler.settings().decisionsKept();
  }

  /** Stops ticking (the provider is not touched: its workers stay as they are). */
  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
  }
}
