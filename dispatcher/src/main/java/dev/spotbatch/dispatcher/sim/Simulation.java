package dev.spotbatch.dispatcher.sim;

import dev.spotbatch.dispatcher.cost.HistoryBasis;
import dev.spotbatch.dispatcher.cost.SpotPriceHistory;
import dev.spotbatch.dispatcher.cost.SpotSample;
import dev.spotbatch.dispatcher.cost.SpotSamples;
import dev.spotbatch.dispatcher.fleet.scaling.Autoscaler;
import dev.spotbatch.dispatcher.fleet.scaling.JobDemand;
import dev.spotbatch.dispatcher.fleet.scaling.PriceForecast;
import dev.spotbatch.dispatcher.fleet.scaling.QueueSnapshot;
import dev.spotbatch.dispatcher.fleet.scaling.ScalingPlan;
import dev.spotbatch.dispatcher.fleet.scaling.WorkerPhase;
import dev.spotbatch.drain.DrainDecision;
import dev.spotbatch.drain.DrainPlanner;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * One run of a scenario: a discrete-event loop over the market clock. Every {@code tickSeconds} the
 * real {@link Autoscaler} ticks on a snapshot of the simulated fleet, which applies its plan;
 * workers take items from a FIFO queue and process them at the scenario's rate; a spot machine's
 * interruption comes from the market, and its worker drains through the real {@link DrainPlanner}
 * (or, with {@link DrainMode#RESTART}, works on until the machine is gone). Hours of market time
 * take milliseconds; the same scenario, run spec and seed give the same result.
 */
final class Simulation {
  /** Nothing is simulated beyond this; a run that gets there is UNFINISHED. */
  static final Duration HORIZON = Duration.ofDays(60);

  /** How much price history the forecast gets. */
  static final Duration HISTORY = Duration.ofDays(28);

  private record Event(Instant at, long seq, Runnable action) {}

  private final PriorityQueue<Event> events =
      new PriorityQueue<>(Comparator.comparing(Event::at).thenComparingLong(Event::seq));
  private final Scenario scenario;
  private final RunSpec spec;
  private final SimClock clock;
  private final SpotMarket market;
  private final SimFleet fleet;
  private final Autoscaler autoscaler;
  private final DrainPlanner planner;
  private final Deque<SimItem> queue = new ArrayDeque<>();
  private final Duration commit;
  private final Duration tick;
  private final Instant deadline;
  private long seq;
  private final RunCounts counts = new RunCounts();
  private long committed;
  private Instant finishedAt;

  Simulation(Scenario scenario, RunSpec spec) {
    this.scenario = scenario;
    this.spec = spec;
    this.clock = new SimClock(scenario.start());
    this.market = new SpotMarket(scenario.market(), spec.seed());
    this.fleet =
        new SimFleet(
            scenario.poolsFor(spec.strategy()),
            market,
            scenario.job().recordsPerSecondPerWorker(),
            spec.seed());
    this.autoscaler = spec.autoscaler(scenario, clock, forecast(HISTORY));
    this.planner = new DrainPlanner(scenario.drain().safetyMargin());
    this.commit = Duration.ofMillis(Math.round(scenario.drain().commitSeconds() * 1000));
    this.tick = Duration.ofSeconds(scenario.fleet().tickSeconds());
    Duration d = scenario.job().deadline();
    this.deadline = d == null ? null : scenario.start().plus(d);
  }

  /**
   * The slack policy's forecast, made the way the running dispatcher makes it: the market's spot
   * prices over the weeks before the start, as AWS's change log would record them per zone, turned
   * into hourly series per machine (provider, region, type; zones averaged) by {@link
   * SpotSamples#hourly}, kept in a {@link SpotPriceHistory} and read per pool by hour of week (as
   * {@code PoolPriceForecast} does). It sees the weekly pattern and past noise, never the future.
   */
  private PriceForecast forecast(Duration length) {
    Instant from = scenario.start().minus(length);
    Map<String, ScenarioPool> byName = new HashMap<>();
    Map<List<String>, List<SpotSample>> samples = new LinkedHashMap<>();
    for (ScenarioPool p : scenario.poolsFor(spec.strategy())) {
      if (p.kind() != PoolKind.SPOT) {
        continue; // the history is of spot prices; other pools keep their price
      }
      byName.put(p.name(), p);
      List<SpotSample> l =
          samples.computeIfAbsent(
              List.of(p.provider(), SpotPriceHistory.regionOf(p.zone()), p.instanceType()),
              k -> new ArrayList<>());
      for (Instant t = from; t.isBefore(scenario.start()); t = t.plus(Duration.ofHours(1))) {
        l.add(new SpotSample(p.instanceType(), p.zone(), t, market.usdPerHour(p, t)));
      }
    }
    SpotPriceHistory history = new SpotPriceHistory();
    samples.forEach(
        (k, l) ->
            history.replace(
                k.get(0),
                k.get(1),
                k.get(2),
                HistoryBasis.SIMULATED,
                SpotSamples.hourly(k.get(2), l, from, scenario.start())));
    return (pool, at) -> {
      ScenarioPool p = byName.get(pool);
      return p == null
          ? OptionalDouble.empty()
          : history.expected(p.provider(), p.zone(), p.instanceType(), at);
    };
  }

  RunResult run() {
    if (!scenario.offers(spec.strategy())) {
      throw new IllegalArgumentException(
          "scenario " + scenario.name() + " has no pool for " + spec.strategy().apiName());
    }
    Scenario.Job job = scenario.job();
    long n = 0;
    for (long s = 0; s < job.records(); s += job.itemRecords()) {
      queue.addLast(
          new SimItem(
              "i" + n++, s, Math.min(job.records(), s + job.itemRecords()), clock.instant()));
    }
    Instant end = scenario.start().plus(HORIZON);
    schedule(scenario.start(), this::tick);
    while (finishedAt == null && !events.isEmpty() && !events.peek().at().isAfter(end)) {
      Event e = events.poll();
      clock.set(e.at());
      e.action().run();
    }
    Instant stop = finishedAt == null ? clock.instant() : finishedAt;
    // the job is done: whatever is left is let go (the scale-in after a job is the same for every
    // strategy and is not what a run compares)
    fleet.workers().forEach(w -> fleet.exit(w, stop));
    return counts.result(
        scenario, spec, fleet, Duration.between(scenario.start(), stop), finishedAt != null);
  }

  private void tick() {
    Instant now = clock.instant();
    ScalingPlan plan = autoscaler.tick(fleet.snapshot(now, List.of(demand()), queueSnapshot(now)));
    for (SimWorker w : fleet.apply(plan, now)) {
      launched(w, now);
    }
    dispatch(now);
    schedule(now.plus(tick), this::tick);
  }

  private JobDemand demand() {
    long running = fleet.workers().stream().filter(w -> w.item != null).count();
    return new JobDemand(
        "job", scenario.job().records() - committed, queue.size() + running, deadline, 0);
  }

  private QueueSnapshot queueSnapshot(Instant now) {
    long running = fleet.workers().stream().filter(w -> w.item != null).count();
    Duration oldest =
        queue.isEmpty() ? null : Duration.between(queue.peekFirst().enqueuedAt(), now);
    return new QueueSnapshot(queue.size(), running, oldest);
  }

  private void launched(SimWorker w, Instant now) {
    SplittableRandom r = new SplittableRandom(SpotMarket.mix(spec.seed(), w.id.hashCode(), 1));
    double jitter = 0.9 + 0.2 * r.nextDouble();
    w.readyAt = now.plusMillis(Math.round(w.pool.launchSeconds() * 1000 * jitter));
    schedule(w.readyAt, () -> ready(w));
    Instant at = market.nextInterruption(w.pool, now, HORIZON, r);
    if (at != null) {
      boolean withoutNotice = r.nextDouble() < scenario.market().noticelessShare();
      schedule(at, () -> interrupt(w, withoutNotice));
    }
  }

  private void ready(SimWorker w) {
    if (!fleet.present(w) || w.leaving()) {
      return;
    }
    w.phase = WorkerPhase.IDLE;
    w.idleSince = clock.instant();
    dispatch(clock.instant());
  }

  private void dispatch(Instant now) {
    for (SimWorker w : fleet.workers()) {
      if (queue.isEmpty()) {
        return;
      }
      if (w.takesWork()) {
        start(w, queue.pollFirst(), now);
      }
    }
  }

  private void start(SimWorker w, SimItem item, Instant now) {
    w.item = item;
    w.itemStartedAt = now;
    w.phase = WorkerPhase.BUSY;
    long epoch = ++w.epoch;
    schedule(w.processedAt(item.records()).plus(commit), () -> completed(w, epoch));
  }

  private void completed(SimWorker w, long epoch) {
    if (!fleet.present(w) || w.epoch != epoch) {
      return;
    }
    Instant now = clock.instant();
    committed += w.item.records();
    w.measured = true;
    release(w);
    if (w.leaving()) {
      fleet.exit(w, now);
    } else {
      w.phase = WorkerPhase.IDLE;
      w.idleSince = now;
    }
    if (committed >= scenario.job().records()) {
      finishedAt = now;
      return;
    }
    dispatch(now);
  }

  private void interrupt(SimWorker w, boolean withoutNotice) {
    if (!fleet.present(w)) {
      return;
    }
    Instant now = clock.instant();
    counts.interruptions++;
    fleet.interrupted(w, now, (withoutNotice ? "lost without notice " : "spot notice ") + w.id);
    w.noticeAt = now;
    w.phase = WorkerPhase.DRAINING;
    if (withoutNotice) {
      counts.noticeless++;
      lose(w, now);
      return;
    }
    if (w.item == null) {
      fleet.exit(w, now); // nothing to drain: the worker exits at once
      return;
    }
    Instant machineGone = now.plusSeconds(w.pool.noticeSeconds());
    long epoch = w.epoch;
    schedule(machineGone, () -> gone(w, epoch));
    switch (spec.drainMode()) {
      case SPOTBATCH -> drain(w, now, machineGone);
      case RESTART -> {} // works on; gone() restarts what is not finished by then
    }
  }

  /** The real drain planner decides; the worker carries its decision out. */
  private void drain(SimWorker w, Instant now, Instant machineGone) {
    SimItem item = w.item;
    long done = w.done(now);
    // one byte per record: the planner's records-per-byte estimate is then exact
    DrainPlanner.ItemState state =
        new DrainPlanner.ItemState(
            item.id(), done, item.start(), item.start() + done, item.end(), w.recordsPerSecond);
    DrainDecision decision = planner.decide(now, machineGone, state);
    switch (decision) {
      case FINISH -> counts.finished++; // it completes before the cutoff; the worker exits after it
      case HAND_BACK -> {
        counts.handedBack++;
        requeue(item, item.start(), now);
        release(w);
        fleet.exit(w, now);
        dispatch(now);
      }
      case CHECKPOINT -> {
        counts.checkpointed++;
        checkpoint(w, now, machineGone, done);
      }
    }
  }

  /** Stops at the next chunk boundary and commits it; the rest goes back on the queue. */
  private void checkpoint(SimWorker w, Instant now, Instant machineGone, long done) {
    long chunk = scenario.job().chunkRecords();
    long boundary = Math.min(w.item.records(), -Math.floorDiv(-done, chunk) * chunk);
    Instant stop = w.processedAt(boundary).plus(commit);
    if (stop.isAfter(planner.cutoff(machineGone))) {
      // the chunk in progress would not end in time: commit the chunks done, redo the partial one
      boundary = Math.floorDiv(done, chunk) * chunk;
      waste(w, done - boundary, now);
      stop = now.plus(commit);
    }
    long epoch = ++w.epoch;
    long keep = boundary;
    schedule(stop, () -> checkpointed(w, epoch, keep));
  }

  private void checkpointed(SimWorker w, long epoch, long records) {
    if (!fleet.present(w) || w.epoch != epoch) {
      return;
    }
    Instant now = clock.instant();
    SimItem item = w.item;
    committed += records;
    if (records < item.records()) {
      requeue(item, item.start() + records, now);
    } else if (committed >= scenario.job().records()) {
      finishedAt = now;
    }
    release(w);
    fleet.exit(w, now);
    dispatch(now);
  }

  /** The machine is gone at the end of its notice: what still runs is lost and redone. */
  private void gone(SimWorker w, long epoch) {
    if (!fleet.present(w)) {
      return;
    }
    if (w.epoch == epoch && w.item != null) {
      lose(w, clock.instant());
      return;
    }
    fleet.exit(w, clock.instant());
  }

  private void lose(SimWorker w, Instant now) {
    if (w.item != null) {
      counts.lost++;
      waste(w, w.done(now), now);
      requeue(w.item, w.item.start(), now);
      release(w);
    }
    fleet.exit(w, now);
    dispatch(now);
  }

  private void waste(SimWorker w, long records, Instant now) {
    counts.wasted += records;
    counts.wastedUsd += records / w.recordsPerSecond / 3600 * market.usdPerHour(w.pool, now);
  }

  private void requeue(SimItem item, long from, Instant now) {
    queue.addLast(new SimItem(item.id(), from, item.end(), now));
  }

  private static void release(SimWorker w) {
    w.item = null;
    w.epoch++;
  }

  private void schedule(Instant at, Runnable action) {
    events.add(new Event(at, seq++, action));
  }
}
