package dev.spotbatch.dispatcher.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * One simulated situation, as a scenario file holds it (see {@code scenarios/*.json}): a job, a
 * fleet size, a market and its pools. Validated once; every message names the field to fix.
 *
 * @param name the scenario's name ({@code seed-h100})
 * @param description what it models, for people
 * @param sources where its figures come from
 * @param start when the market clock starts (its hour of week sets prices and interruption rates)
 * @param job the work
 * @param fleet how many workers, and how
 * @param market how prices and interruptions move by hour of week
 * @param drain the drain's margins as the worker has them
 * @param pools every pool the market offers
 */
public record Scenario(
    String name,
    String description,
    List<String> sources,
    Instant start,
    Job job,
    Fleet fleet,
    Market market,
    Drain drain,
    List<ScenarioPool> pools) {

  public Scenario {
    require(name != null && !name.isBlank(), "name is required");
    description = Objects.requireNonNullElse(description, "");
    sources = sources == null ? List.of() : List.copyOf(sources);
    start = Objects.requireNonNullElse(start, Instant.parse("2026-01-05T09:00:00Z"));
    require(job != null, "job is required");
    fleet = Objects.requireNonNullElse(fleet, new Fleet(null, null, null));
    market = Objects.requireNonNullElse(market, new Market(null, null, null, null, null, null));
    drain = Objects.requireNonNullElse(drain, new Drain(null, null));
    require(pools != null && !pools.isEmpty(), "pools: give at least one pool");
    pools = List.copyOf(pools);
    Set<String> names = new HashSet<>();
    for (ScenarioPool p : pools) {
      require(names.add(p.name()), "pools: the name " + p.name() + " is used twice");
    }
    require(
        pools.stream().anyMatch(p -> p.kind() == PoolKind.ON_DEMAND),
        "pools: give an ON_DEMAND pool (the baseline)");
  }

  /** The pools a strategy offers the autoscaler. */
  public List<ScenarioPool> poolsFor(Strategy strategy) {
    return pools.stream()
        .filter(
            p ->
                switch (strategy) {
                  case ON_DEMAND -> p.kind() == PoolKind.ON_DEMAND;
                  case SPOT, MIXED -> p.kind() != PoolKind.BUDGET;
                  case BUDGET -> p.kind() == PoolKind.BUDGET;
                })
        .toList();
  }

  /** Whether the strategy has pools here (a budget provider is optional). */
  public boolean offers(Strategy strategy) {
    return !poolsFor(strategy).isEmpty();
  }

  /** The instance types of its spot and on-demand pools. */
  public List<String> instanceTypes() {
    return pools.stream()
        .filter(p -> p.kind() != PoolKind.BUDGET)
        .map(ScenarioPool::instanceType)
        .distinct()
        .toList();
  }

  /** This scenario without its budget provider. */
  public Scenario withoutBudget() {
    return new Scenario(
        name,
        description,
        sources,
        start,
        job,
        fleet,
        market,
        drain,
        pools.stream().filter(p -> p.kind() != PoolKind.BUDGET).toList());
  }

  /** This scenario with every pool changed by {@code f}. */
  public Scenario withPools(UnaryOperator<ScenarioPool> f) {
    return new Scenario(
        name,
        description,
        sources,
        start,
        job,
        fleet,
        market,
        drain,
        pools.stream().map(f).toList());
  }

  /** This scenario with its market clock starting at {@code t}. */
  public Scenario withStart(Instant t) {
    return new Scenario(name, description, sources, t, job, fleet, market, drain, pools);
  }

  /** This scenario with another job. */
  public Scenario withJob(Job j) {
    return new Scenario(name, description, sources, start, j, fleet, market, drain, pools);
  }

  /** This scenario with another fleet. */
  public Scenario withFleet(Fleet f) {
    return new Scenario(name, description, sources, start, job, f, market, drain, pools);
  }

  static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("scenario: " + message);
    }
  }

  /**
   * The work: one job of {@code records} records cut into items.
   *
   * @param recordsPerSecondPerWorker one worker's measured throughput
   * @param itemRecords records per work item (the dispatcher's {@code itemBytes} in records)
   * @param chunkRecords records per chunk: a checkpoint stops at the next chunk boundary
   * @param deadlineHours hours after the start the job must be done by; null: none
   */
  public record Job(
      long records,
      double recordsPerSecondPerWorker,
      Long itemRecords,
      Long chunkRecords,
      Double deadlineHours) {
    public Job {
      require(records > 0, "job.records must be > 0");
      require(
          recordsPerSecondPerWorker > 0 && Double.isFinite(recordsPerSecondPerWorker),
          "job.recordsPerSecondPerWorker must be > 0");
      itemRecords = itemRecords == null ? Math.max(1, Math.min(records, 100_000)) : itemRecords;
      require(itemRecords > 0, "job.itemRecords must be > 0");
      chunkRecords = chunkRecords == null ? Math.min(itemRecords, 1000) : chunkRecords;
      require(chunkRecords > 0 && chunkRecords <= itemRecords, "job.chunkRecords: 1..itemRecords");
      require(
          deadlineHours == null || (deadlineHours > 0 && deadlineHours < 24 * 365),
          "job.deadlineHours must be > 0 (or absent)");
    }

    /** The deadline as a duration after the start; null: none. */
    public Duration deadline() {
      return deadlineHours == null ? null : Duration.ofSeconds(Math.round(deadlineHours * 3600));
    }
  }

  /**
   * The fleet.
   *
   * @param workers the most working workers (the autoscaler's maximum)
   * @param mixedOnDemandShare the on-demand base of the {@link Strategy#MIXED} strategy, as a share
   *     of {@code workers}
   * @param tickSeconds how often the autoscaler ticks (10 s in the app)
   */
  public record Fleet(Integer workers, Double mixedOnDemandShare, Integer tickSeconds) {
    public Fleet {
      workers = Objects.requireNonNullElse(workers, 8);
      mixedOnDemandShare = Objects.requireNonNullElse(mixedOnDemandShare, 0.25);
      tickSeconds = Objects.requireNonNullElse(tickSeconds, 10);
      require(workers >= 1 && workers <= 10_000, "fleet.workers must be 1..10000");
      require(mixedOnDemandShare >= 0 && mixedOnDemandShare <= 1, "fleet.mixedOnDemandShare: 0..1");
      require(tickSeconds >= 1 && tickSeconds <= 600, "fleet.tickSeconds must be 1..600");
    }
  }

  /**
   * How the market moves by hour of week (UTC).
   *
   * @param weekendInterruptionFactor interruption rates on Saturday and Sunday are multiplied by
   *     this (published: about 40% lower, so 0.6)
   * @param offPeakDiscount spot prices at night and on weekends are this much lower (10-15%)
   * @param nightStartHour night begins at this hour (UTC)
   * @param nightEndHour night ends at this hour (UTC)
   * @param hourlyPriceVolatility the spread of each hour's random price move (log-normal sigma)
   * @param noticelessShare the share of interruptions that come with no notice at all
   */
  public record Market(
      Double weekendInterruptionFactor,
      Double offPeakDiscount,
      Integer nightStartHour,
      Integer nightEndHour,
      Double hourlyPriceVolatility,
      Double noticelessShare) {
    public Market {
      weekendInterruptionFactor = Objects.requireNonNullElse(weekendInterruptionFactor, 0.6);
      offPeakDiscount = Objects.requireNonNullElse(offPeakDiscount, 0.12);
      nightStartHour = Objects.requireNonNullElse(nightStartHour, 22);
      nightEndHour = Objects.requireNonNullElse(nightEndHour, 6);
      hourlyPriceVolatility = Objects.requireNonNullElse(hourlyPriceVolatility, 0.03);
      noticelessShare = Objects.requireNonNullElse(noticelessShare, 0.02);
      require(weekendInterruptionFactor >= 0, "market.weekendInterruptionFactor must be >= 0");
      require(offPeakDiscount >= 0 && offPeakDiscount < 1, "market.offPeakDiscount: 0..1");
      require(nightStartHour >= 0 && nightStartHour < 24, "market.nightStartHour: 0..23");
      require(nightEndHour >= 0 && nightEndHour < 24, "market.nightEndHour: 0..23");
      require(
          hourlyPriceVolatility >= 0 && hourlyPriceVolatility < 1,
          "market.hourlyPriceVolatility: 0..1");
      require(noticelessShare >= 0 && noticelessShare <= 1, "market.noticelessShare: 0..1");
    }
  }

  /**
   * The drain, as the worker is configured.
   *
   * @param safetyMarginSeconds {@code spotbatch.worker.drain.safety-margin}: work must end this
   *     long before the deadline
   * @param commitSeconds the time to write and commit one part (a checkpoint or a finished item)
   */
  public record Drain(Double safetyMarginSeconds, Double commitSeconds) {
    public Drain {
      safetyMarginSeconds = Objects.requireNonNullElse(safetyMarginSeconds, 5.0);
      commitSeconds = Objects.requireNonNullElse(commitSeconds, 2.0);
      require(safetyMarginSeconds >= 0, "drain.safetyMarginSeconds must be >= 0");
      require(commitSeconds >= 0, "drain.commitSeconds must be >= 0");
    }

    public Duration safetyMargin() {
      return Duration.ofMillis(Math.round(safetyMarginSeconds * 1000));
    }
  }
}
