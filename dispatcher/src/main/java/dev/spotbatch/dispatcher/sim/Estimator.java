package dev.spotbatch.dispatcher.sim;

import dev.spotbatch.dispatcher.cost.PriceBook;
import dev.spotbatch.model.Lifecycle;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The cost calculator behind {@code POST /api/v1/estimates}: builds a scenario for the request from
 * the built-in scenario of the same instance type (its market, zones, launch times, interruption
 * rates and item length; a generic template otherwise), prices it from the {@link PriceBook}
 * (falling back to the scenario's own prices where the book has none), runs every strategy over
 * several seeds in the simulator and recommends the cheapest that meets the deadline.
 */
public final class Estimator {
  /** Records/s x workers x this many days at most: the simulator's horizon with room. */
  static final Duration LONGEST_JOB = Duration.ofDays(14);

  static final int MAX_WORKERS = 256;

  /** Below this saving spot is not worth its interruptions: on-demand is recommended. */
  static final double LEAST_WORTHWHILE_SAVING = 0.10;

  /**
   * Interruption rates relative to a family's published average, by region: us-east-1 is
   * interrupted three times as often as us-west-2 (issue 9's published figure).
   */
  static final Map<String, Double> REGION_FACTORS = Map.of("us-east-1", 1.5, "us-west-2", 0.5);

  /**
   * The template for an instance type no built-in scenario has (its prices must be in the book).
   */
  static final String GENERIC = "seed-h100";

  static final double GENERIC_INTERRUPTIONS_PER_HOUR = 0.05;

  private final PriceBook prices;
  private final Simulator simulator;
  private final Clock clock;
  private final int seeds;
  private final List<Scenario> templates;

  public Estimator(PriceBook prices, Simulator simulator, Clock clock, int seeds) {
    this.prices = Objects.requireNonNull(prices, "prices");
    this.simulator = Objects.requireNonNull(simulator, "simulator");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (seeds < 1 || seeds > 50) {
      throw new IllegalArgumentException("seeds must be 1..50");
    }
    this.seeds = seeds;
    this.templates = Scenarios.BUILT_IN.stream().map(Scenarios::load).toList();
  }

  public Estimate estimate(EstimateInput in) {
    validate(in);
    Instant now = clock.instant();
    Scenario template = template(in.instanceType());
    boolean known = template != null;
    if (!known) {
      template = Scenarios.load(GENERIC);
    }
    List<String> notes = new ArrayList<>();
    ScenarioPool od = template.poolsFor(Strategy.ON_DEMAND).get(0);
    String provider = known ? od.provider() : "aws";
    OptionalDouble bookOnDemand =
        price(provider, in.region(), in.instanceType(), Lifecycle.ON_DEMAND);
    OptionalDouble bookSpot = price(provider, in.region(), in.instanceType(), Lifecycle.SPOT);
    // a budget provider's machine comparable to this one: by this type, else the scenario's own
    OptionalDouble bookBudget = price("budget", null, in.instanceType(), Lifecycle.ON_DEMAND);
    ScenarioPool budgetPool = known ? first(template, PoolKind.BUDGET) : null;
    if (bookBudget.isEmpty() && budgetPool != null) {
      bookBudget = price("budget", null, budgetPool.instanceType(), Lifecycle.ON_DEMAND);
    }
    OptionalDouble budgetPrice = bookBudget;
    if (!known && (bookOnDemand.isEmpty() || bookSpot.isEmpty())) {
      throw new EstimateException(
          "instanceType",
          "no on-demand and spot price for '"
              + in.instanceType()
              + "' in the price book, and no built-in scenario has it; use one of "
              + knownTypes()
              + " or add its prices (spotbatch.cost.prices)");
    }
    String source =
        bookOnDemand.isPresent() && bookSpot.isPresent()
            ? "price book"
            : "scenario " + template.name() + (bookOnDemand.isPresent() ? " (spot)" : "");
    double offPeakFactor = offPeakFactor(template.market());
    double regionFactor =
        REGION_FACTORS.getOrDefault(in.region(), 1.0)
            / REGION_FACTORS.getOrDefault(region(od.zone()), 1.0);
    Scenario s =
        template.withPools(
            p -> {
              ScenarioPool q =
                  p.kind() == PoolKind.BUDGET ? p : renamed(p, in.instanceType(), in.region());
              return switch (p.kind()) {
                case ON_DEMAND -> q.withUsdPerHour(bookOnDemand.orElse(p.usdPerHour()));
                // the book holds an average over the week; the scenario's weekday price is above it
                case SPOT -> {
                  double rate = known ? p.interruptionsPerHour() : GENERIC_INTERRUPTIONS_PER_HOUR;
                  yield q.withUsdPerHour(
                          bookSpot.isPresent()
                              ? bookSpot.getAsDouble() / offPeakFactor
                              : p.usdPerHour())
                      .withInterruptionsPerHour(rate * regionFactor);
                }
                case BUDGET -> q.withUsdPerHour(budgetPrice.orElse(p.usdPerHour()));
              };
            });
    if (!known && bookBudget.isEmpty()) {
      s = s.withoutBudget(); // the template's budget machine is not this one
    }
    int workers = workers(in, template, now);
    double rate = in.recordsPerSecondPerWorker();
    double itemSeconds = template.job().itemRecords() / template.job().recordsPerSecondPerWorker();
    long itemRecords = Math.max(1, Math.min(in.records(), Math.round(itemSeconds * rate)));
    itemRecords = Math.max(itemRecords, -Math.floorDiv(-in.records(), 200_000L));
    double onDemandHours = in.records() / (rate * workers) / 3600;
    int tick = (int) Math.max(10, Math.min(600, onDemandHours * 3600 / 3000));
    Double deadlineHours =
        in.deadline() == null ? null : Duration.between(now, in.deadline()).toSeconds() / 3600.0;
    s =
        new Scenario(
            "estimate-" + in.instanceType(),
            "estimate for " + in.records() + " records on " + in.instanceType(),
            List.of("price source: " + source, "market template: scenario " + template.name()),
            now,
            new Scenario.Job(
                in.records(),
                rate,
                itemRecords,
                Math.min(itemRecords, Math.max(1, template.job().chunkRecords())),
                deadlineHours),
            new Scenario.Fleet(workers, template.fleet().mixedOnDemandShare(), tick),
            template.market(),
            template.drain(),
            s.pools());
    if (!known) {
      notes.add(
          "no built-in scenario has "
              + in.instanceType()
              + ": assumed "
              + GENERIC_INTERRUPTIONS_PER_HOUR * 100
              + "% interruptions per worker-hour and the market of "
              + GENERIC);
    }
    if (regionFactor != 1.0) {
      notes.add(
          String.format(
              Locale.ROOT,
              "interruption rates scaled by %.2f for %s (us-east-1 is interrupted 3x as often"
                  + " as us-west-2)",
              regionFactor,
              in.region()));
    }
    if (tick > 10) {
      notes.add("a long job: the autoscaler ticks every " + tick + " s of market time");
    }
    List<Simulator.Variant> variants =
        List.of(
            new Simulator.Variant(Strategy.SPOT, DrainMode.SPOTBATCH),
            new Simulator.Variant(Strategy.MIXED, DrainMode.SPOTBATCH),
            new Simulator.Variant(Strategy.BUDGET, DrainMode.SPOTBATCH));
    List<Summary> options = simulator.compare(s, variants, 1, seeds);
    return recommend(options, deadlineHours, s, template.name(), source, notes);
  }

  private Estimate recommend(
      List<Summary> options,
      Double deadlineHours,
      Scenario s,
      String template,
      String source,
      List<String> notes) {
    Summary onDemand = options.get(0);
    List<Summary> fit =
        options.stream()
            .filter(o -> o.unfinished() == 0)
            .filter(o -> deadlineHours == null || o.makespanHours().max() <= deadlineHours)
            .sorted(Comparator.comparingDouble(o -> o.usd().mean()))
            .toList();
    if (fit.isEmpty()) {
      return new Estimate(
          options,
          Strategy.ON_DEMAND,
          "no strategy meets the deadline in every run; on-demand is the most predictable: give"
              + " more workers or a later deadline",
          s,
          template,
          source,
          notes);
    }
    Summary best = fit.get(0);
    String reason;
    if (best.strategy() == Strategy.ON_DEMAND) {
      reason =
          "on-demand is the better choice here: no cheaper strategy"
              + (deadlineHours == null ? "" : " meets the deadline in every run");
    } else if (best.strategy() != Strategy.BUDGET
        && best.savingsVsOnDemand() < LEAST_WORTHWHILE_SAVING
        && fit.contains(onDemand)) {
      best = onDemand;
      reason =
          String.format(
              Locale.ROOT,
              "on-demand is the better choice here: spot would save only %.0f%% (under %.0f%%),"
                  + " not worth its interruptions",
              fit.get(0).savingsVsOnDemand() * 100,
              LEAST_WORTHWHILE_SAVING * 100);
    } else {
      reason =
          String.format(
              Locale.ROOT,
              "%s: %.0f%% cheaper than on-demand ($%,.2f vs $%,.2f), makespan %+.0f%%%s",
              best.strategy().apiName(),
              best.savingsVsOnDemand() * 100,
              best.usd().mean(),
              onDemand.usd().mean(),
              best.makespanVsOnDemand() * 100,
              deadlineHours == null ? "" : ", within the deadline in every run");
    }
    return new Estimate(options, best.strategy(), reason, s, template, source, notes);
  }

  private void validate(EstimateInput in) {
    if (in.records() <= 0) {
      throw new EstimateException("records", "records must be > 0");
    }
    if (!(in.recordsPerSecondPerWorker() > 0)
        || Double.isInfinite(in.recordsPerSecondPerWorker())) {
      throw new EstimateException(
          "recordsPerSecondPerWorker",
          "recordsPerSecondPerWorker must be > 0 (one worker's measured throughput)");
    }
    if (in.instanceType() == null || in.instanceType().isBlank()) {
      throw new EstimateException(
          "instanceType", "instanceType is required, e.g. one of " + knownTypes());
    }
    if (in.region() == null || !in.region().matches("[a-z]{2,}(-[a-z0-9]+)+")) {
      throw new EstimateException("region", "region is required, e.g. us-east-1 or us-west-2");
    }
    if (in.workers() != null && (in.workers() < 1 || in.workers() > MAX_WORKERS)) {
      throw new EstimateException("workers", "workers must be 1.." + MAX_WORKERS);
    }
    if (in.deadline() != null && !in.deadline().isAfter(clock.instant())) {
      throw new EstimateException(
          "deadline", "deadline " + in.deadline() + " has passed; give a future ISO-8601 instant");
    }
    int most = in.workers() == null ? MAX_WORKERS : in.workers();
    double seconds = in.records() / (in.recordsPerSecondPerWorker() * most);
    if (seconds > LONGEST_JOB.toSeconds()) {
      throw new EstimateException(
          "records",
          String.format(
              Locale.ROOT,
              "%,d records at %s records/s on %d workers take %.0f days on-demand; the estimate"
                  + " simulates up to %d days: give more workers or a faster rate",
              in.records(),
              in.recordsPerSecondPerWorker(),
              most,
              seconds / 86_400,
              LONGEST_JOB.toDays()));
    }
  }

  /**
   * The given workers; else enough for the deadline on-demand with 15% room; else the template's.
   */
  private int workers(EstimateInput in, Scenario template, Instant now) {
    if (in.workers() != null) {
      return in.workers();
    }
    if (in.deadline() == null) {
      return template.fleet().workers();
    }
    double hours = Duration.between(now, in.deadline()).toSeconds() / 3600.0;
    double launch = template.pools().get(0).launchSeconds() / 3600.0;
    double need =
        in.records() / in.recordsPerSecondPerWorker() / 3600 / Math.max(0.1, hours - launch) * 1.15;
    return (int) Math.max(1, Math.min(MAX_WORKERS, Math.ceil(need)));
  }

  private Scenario template(String instanceType) {
    return templates.stream()
        .filter(t -> t.instanceTypes().contains(instanceType))
        .findFirst()
        .orElse(null);
  }

  private List<String> knownTypes() {
    return templates.stream().flatMap(t -> t.instanceTypes().stream()).distinct().toList();
  }

  /** The book's price in {@code region}, else in any region; empty when it has none. */
  private OptionalDouble price(String provider, String region, String type, Lifecycle lifecycle) {
    OptionalDouble p =
        region == null
            ? OptionalDouble.empty()
            : prices.usdPerHour(provider, region, type, lifecycle);
    return p.isPresent() ? p : prices.usdPerHour(provider, type, lifecycle);
  }

  private static ScenarioPool first(Scenario s, PoolKind kind) {
    return s.pools().stream().filter(p -> p.kind() == kind).findFirst().orElse(null);
  }

  /** The template's pool for {@code instanceType} in {@code region} (zone letters kept). */
  private static ScenarioPool renamed(ScenarioPool p, String instanceType, String region) {
    String zone =
        p.zone().matches(".*-\\d[a-z]$")
            ? region + p.zone().substring(p.zone().length() - 1)
            : region;
    return new ScenarioPool(
        instanceType
            + "-"
            + zone
            + "-"
            + p.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'),
        p.provider(),
        instanceType,
        zone,
        p.kind(),
        p.usdPerHour(),
        p.interruptionsPerHour(),
        p.noticeSeconds(),
        p.launchSeconds(),
        p.capacity(),
        p.launchFailureRate());
  }

  /** us-east-1a -> us-east-1. */
  static String region(String zone) {
    return zone.matches(".*-\\d[a-z]$") ? zone.substring(0, zone.length() - 1) : zone;
  }

  /** The week's mean spot price over the weekday price: off-peak hours are cheaper. */
  static double offPeakFactor(Scenario.Market m) {
    SpotMarket market = new SpotMarket(m, 0);
    Instant monday = Instant.parse("2026-01-05T00:00:00Z");
    int offPeak = 0;
    for (int h = 0; h < 168; h++) {
      if (market.offPeak(monday.plusSeconds(3600L * h))) {
        offPeak++;
      }
    }
    return 1 - m.offPeakDiscount() * offPeak / 168.0;
  }
}
