package dev.spotbatch.dispatcher.fleet.scaling;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides the desired capacity per pool, one {@link #tick(ScalingSnapshot) tick} at a time (every
 * 10 s in the app). Each tick estimates the throughput the jobs need ({@link DemandEstimator}),
 * ranks the pools by expected cost per record ({@link PoolRanker}), allocates workers to them
 * ({@link CapacityAllocator}) and follows that allocation up at once and down slowly, removing only
 * idle workers ({@link ScalePacer}). A worker that got a notice counts as leaving: its pool keeps
 * it in the desired capacity and its replacement launches at once.
 *
 * <p>{@link #tick} is called by one thread at a time; {@link #decisions(int)} may be read from any.
 */
public final class Autoscaler {
  private static final Logger log = LoggerFactory.getLogger(Autoscaler.class);

  private final ScalingSettings settings;
  private final Clock clock;
  private final DemandEstimator demandEstimator;
  private final PoolRanker ranker;
  private final CapacityAllocator allocator;
  private final ScalePacer pacer;
  private final DecisionWriter writer;
  private final PoolBlocks blocks;
  private final DecisionLog decisions;
  private final SlackPolicy slack;
  private final Map<String, PoolMemory> memory = new HashMap<>();

  /** The jobs the slack policy holds back, and until when (as last decided). */
  private final Map<String, Instant> deferred = new HashMap<>();

  private CapacityMode mode = CapacityMode.SPOT;

  public Autoscaler(ScalingSettings settings, Clock clock) {
    this(settings, clock, SlackSettings.OFF, PriceForecast.NONE);
  }

  /**
   * An autoscaler that lets jobs whose deadline leaves slack wait for cheaper hours ({@link
   * SlackPolicy}), by {@code forecast}.
   */
  public Autoscaler(
      ScalingSettings settings, Clock clock, SlackSettings slack, PriceForecast forecast) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.slack =
        new SlackPolicy(
            Objects.requireNonNull(slack, "slack"),
            settings,
            Objects.requireNonNull(forecast, "forecast"));
    this.clock = Objects.requireNonNull(clock, "clock");
    this.demandEstimator = new DemandEstimator(settings);
    this.ranker = new PoolRanker(settings);
    this.allocator = new CapacityAllocator(settings);
    this.pacer = new ScalePacer(settings);
    this.writer = new DecisionWriter(settings);
    this.blocks = new PoolBlocks(settings.blockTtl());
    this.decisions = new DecisionLog(settings.decisionsKept());
  }

  public ScalingSettings settings() {
    return settings;
  }

  /** Decides this tick's plan from {@code snapshot}. */
  public synchronized ScalingPlan tick(ScalingSnapshot snapshot) {
    Instant now = clock.instant();
    for (String pool : blocks.record(snapshot.incidents(), now)) {
      log.warn(
          "pool {} blocked until {}: {}", pool, blocks.until(pool, now), blocks.reason(pool, now));
    }
    List<RankedPool> ranked = ranker.rank(snapshot, blocks, now);
    memory.keySet().retainAll(ranked.stream().map(RankedPool::name).toList());
    for (RankedPool p : ranked) {
      memory.computeIfAbsent(
          p.name(),
          n ->
              new PoolMemory(
                  Math.max(0, p.pool().desired() - p.leaving()),
                  p.pool().desired(),
                  p.leaving(),
                  now));
    }
    int working = ranked.stream().mapToInt(RankedPool::working).sum();
    double workingRate = ranked.stream().mapToDouble(p -> p.working() * p.effectiveRate()).sum();
    SlackPolicy.Outcome slackOutcome = slack.apply(snapshot, now);
    Demand demand =
        demandEstimator
            .estimate(
                new ScalingSnapshot(
                    slackOutcome.jobs(),
                    slackOutcome.queue(),
                    snapshot.pools(),
                    snapshot.workers(),
                    snapshot.incidents()),
                now,
                working,
                workingRate)
            .withDrivers(slackOutcome.drivers());
    Allocation allocation = allocator.allocate(ranked, demand);
    CapacityMode newMode =
        allocation.fallbackWorkers() > 0 ? CapacityMode.ON_DEMAND_FALLBACK : CapacityMode.SPOT;
    List<PoolStep> steps = pacer.pace(ranked, allocation, memory, snapshot.workers(), now);

    List<Decision> made = new ArrayList<>(slackDecisions(slackOutcome, snapshot, now));
    made.forEach(
        d -> {
          decisions.add(d);
          log.info("autoscaler: {}", d);
        });
    List<WorkerRemoval> removals = new ArrayList<>();
    List<WorkerRemoval> retirements = new ArrayList<>();
    double planned = 0;
    for (PoolStep step : steps) {
      PoolMemory m = memory.get(step.pool().name());
      List<Decision> written = new ArrayList<>();
      written.add(
          writer.write(now, step, m, demand, allocation, newMode, mode, snapshot.workers()));
      List<WorkerSnapshot> newlyRetiring =
          step.retirements().stream().filter(w -> !m.retiring.contains(w.id())).toList();
      written.add(writer.stopLeasing(now, step, newlyRetiring, demand, allocation));
      // forget workers no longer asked (gone, or the need rose again) so a later ask is written
      m.retiring.retainAll(step.retirements().stream().map(WorkerSnapshot::id).toList());
      newlyRetiring.forEach(w -> m.retiring.add(w.id()));
      for (Decision d : written) {
        if (d != null) {
          made.add(d);
          decisions.add(d);
          log.info("autoscaler: {}", d);
        }
      }
      if (step.target() != m.target) {
        m.lastChange = now;
      }
      m.target = step.target();
      m.desired = step.desired();
      m.leaving = step.pool().leaving();
      step.removals().forEach(w -> removals.add(new WorkerRemoval(w.id(), w.pool())));
      step.retirements().forEach(w -> retirements.add(new WorkerRemoval(w.id(), w.pool())));
      planned += step.target() * step.pool().effectiveRate();
    }
    if (newMode != mode) {
      log.warn(
          "autoscaler: {} ({})",
          newMode == CapacityMode.ON_DEMAND_FALLBACK ? "falling back to on-demand" : "back to spot",
          allocation.spotShortfall());
    }
    mode = newMode;
    return new ScalingPlan(
        now,
        newMode,
        planFor(snapshot, steps),
        removals,
        retirements,
        made,
        outlook(demand, planned, snapshot.jobs(), slackOutcome),
        demand.totalRate(),
        planned);
  }

  /**
   * A decision when a job starts to wait for cheaper hours ({@link DecisionCause#DEFER}) and when
   * it stops ({@link DecisionCause#RESUME}), so the wait shows in the decisions even though no pool
   * changes; a job that ended while waiting is forgotten without one.
   */
  private List<Decision> slackDecisions(
      SlackPolicy.Outcome outcome, ScalingSnapshot snapshot, Instant now) {
    List<Decision> out = new ArrayList<>();
    Map<String, SlackPolicy.Verdict> verdicts = outcome.verdicts();
    for (Map.Entry<String, SlackPolicy.Verdict> e : verdicts.entrySet()) {
      SlackPolicy.Verdict v = e.getValue();
      if (v.choice() == SlackPolicy.Choice.WAIT && !v.until().equals(deferred.get(e.getKey()))) {
        out.add(slackDecision(now, v.pool(), snapshot, DecisionCause.DEFER, v.reason()));
        deferred.put(e.getKey(), v.until());
      }
    }
    for (var it = deferred.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Instant> e = it.next();
      SlackPolicy.Verdict v = verdicts.get(e.getKey());
      if (v == null || v.choice() != SlackPolicy.Choice.WAIT) {
        it.remove();
        if (v != null) {
          out.add(
              slackDecision(
                  now,
                  v.pool(),
                  snapshot,
                  DecisionCause.RESUME,
                  "stops waiting (was until " + e.getValue() + "): " + v.reason()));
        }
      }
    }
    return out;
  }

  private Decision slackDecision(
      Instant now, String pool, ScalingSnapshot snapshot, DecisionCause cause, String reason) {
    String name =
        pool != null ? pool : snapshot.pools().isEmpty() ? "-" : snapshot.pools().get(0).name();
    PoolMemory m = memory.get(name);
    int desired = m == null ? 0 : m.desired;
    return new Decision(now, name, desired, desired, cause, reason);
  }

  /** The last {@code limit} decisions, newest first. */
  public List<Decision> decisions(int limit) {
    return decisions.latest(limit);
  }

  private static List<PoolPlan> planFor(ScalingSnapshot snapshot, List<PoolStep> steps) {
    Map<String, PoolStep> byName = new HashMap<>();
    steps.forEach(s -> byName.put(s.pool().name(), s));
    List<PoolPlan> plans = new ArrayList<>();
    for (PoolSnapshot p : snapshot.pools()) {
      PoolStep s = byName.get(p.name());
      RankedPool r = s.pool();
      plans.add(
          new PoolPlan(
              p.name(),
              s.desired(),
              s.target(),
              r.leaving(),
              r.standing(),
              r.blockedUntil(),
              r.interruptionsPerHour(),
              r.usdPerMillionRecords()));
    }
    return plans;
  }

  /**
   * Deadlines are served by priority, then deadline, out of the planned throughput. A job the slack
   * policy holds back is on track (it waits by plan) and shows its own deadline, as does one it
   * runs at full speed.
   */
  private List<JobOutlook> outlook(
      Demand demand, double planned, List<JobDemand> asGiven, SlackPolicy.Outcome slackOutcome) {
    Map<String, JobDemand> given = new HashMap<>();
    asGiven.forEach(j -> given.put(j.jobId(), j));
    List<JobOutlook> out = new ArrayList<>();
    double used = 0;
    for (Demand.JobNeed need : demand.needs()) {
      JobDemand job = given.getOrDefault(need.job().jobId(), need.job());
      Boolean onTrack = null;
      double required = need.rate() * settings.throughputHeadroom();
      if (job.deadline() != null) {
        used += required;
        onTrack = used <= planned * (1 + 1e-9);
      }
      out.add(
          new JobOutlook(
              job.jobId(), job.deadline(), job.priority(), required, onTrack, null, null));
    }
    for (JobDemand job : slackOutcome.waiting()) {
      SlackPolicy.Verdict v = slackOutcome.verdicts().get(job.jobId());
      out.add(
          new JobOutlook(
              job.jobId(),
              job.deadline(),
              job.priority(),
              0,
              true,
              v == null ? null : v.until(),
              v == null ? null : v.reason()));
    }
    return out;
  }
}
