package dev.spotbatch.dispatcher.api;

import dev.spotbatch.dispatcher.sim.Estimate;
import dev.spotbatch.dispatcher.sim.PoolKind;
import dev.spotbatch.dispatcher.sim.Scenario;
import dev.spotbatch.dispatcher.sim.ScenarioPool;
import dev.spotbatch.dispatcher.sim.Spread;
import dev.spotbatch.dispatcher.sim.Summary;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/**
 * The answer of {@code POST /api/v1/estimates}: each strategy simulated over several seeds, the
 * recommendation and the assumptions behind it.
 */
@Schema(name = "Estimate")
public record EstimateResponse(
    List<Option> options, Recommendation recommendation, Assumptions assumptions) {

  /**
   * One strategy, means over the seeds.
   *
   * @param strategy {@code on-demand}, {@code spot}, {@code mixed} or {@code budget}
   * @param savingsPct against on-demand (0 for on-demand itself)
   * @param meetsDeadline whether every run finished before the deadline; null without one
   * @param spread the range over the seeds
   */
  @Schema(name = "EstimateOption")
  public record Option(
      String strategy,
      double usd,
      double makespanHours,
      double wastedUsd,
      double interruptions,
      double recordsProcessedTwice,
      double savingsPct,
      Boolean meetsDeadline,
      int runs,
      OptionSpread spread) {}

  /** The lowest and highest over the seeds. */
  @Schema(name = "EstimateRange")
  public record Range(double min, double max) {
    static Range of(Spread s, int digits) {
      return new Range(round(s.min(), digits), round(s.max(), digits));
    }
  }

  /** The spread of cost and makespan over the seeds. */
  @Schema(name = "EstimateSpread")
  public record OptionSpread(Range usd, Range makespanHours) {}

  /** The strategy to choose and why. */
  @Schema(name = "EstimateRecommendation")
  public record Recommendation(String strategy, String reason) {}

  /**
   * What the estimate assumed.
   *
   * @param priceSource {@code price book} or the scenario whose prices were used
   * @param spotUsdPerHour the spot price on weekdays by day (nights and weekends are cheaper)
   * @param spotInterruptionsPerHour per worker-hour on weekdays (weekends are lower)
   * @param marketTemplate the built-in scenario whose market was used
   */
  @Schema(name = "EstimateAssumptions")
  public record Assumptions(
      String instanceType,
      String region,
      int workers,
      long itemRecords,
      int seeds,
      Instant start,
      Double deadlineHours,
      String priceSource,
      double onDemandUsdPerHour,
      Double spotUsdPerHour,
      Double budgetUsdPerHour,
      Double spotInterruptionsPerHour,
      Integer noticeSeconds,
      String marketTemplate,
      List<String> notes) {}

  static EstimateResponse of(Estimate e, String instanceType, String region) {
    Scenario s = e.scenario();
    Double deadline = s.job().deadlineHours();
    List<Option> options =
        e.options().stream()
            .map(
                o ->
                    new Option(
                        o.strategy().apiName(),
                        round(o.usd().mean(), 2),
                        round(o.makespanHours().mean(), 3),
                        round(o.wastedUsd().mean(), 2),
                        round(o.interruptions().mean(), 2),
                        round(o.recordsProcessedTwice().mean(), 0),
                        o.savingsVsOnDemand() == null ? 0 : round(o.savingsVsOnDemand() * 100, 1),
                        deadline == null ? null : meets(o, deadline),
                        o.runs(),
                        new OptionSpread(Range.of(o.usd(), 2), Range.of(o.makespanHours(), 3))))
            .toList();
    ScenarioPool od = first(s, PoolKind.ON_DEMAND);
    ScenarioPool spot = first(s, PoolKind.SPOT);
    ScenarioPool budget = first(s, PoolKind.BUDGET);
    return new EstimateResponse(
        options,
        new Recommendation(e.recommended().apiName(), e.reason()),
        new Assumptions(
            instanceType,
            region,
            s.fleet().workers(),
            s.job().itemRecords(),
            e.options().get(0).runs(),
            s.start(),
            deadline == null ? null : round(deadline, 3),
            e.priceSource(),
            od.usdPerHour(),
            spot == null ? null : round(spot.usdPerHour(), 4),
            budget == null ? null : budget.usdPerHour(),
            spot == null ? null : spot.interruptionsPerHour(),
            spot == null ? null : spot.noticeSeconds(),
            e.template(),
            e.notes()));
  }

  private static boolean meets(Summary o, double deadlineHours) {
    return o.unfinished() == 0 && o.makespanHours().max() <= deadlineHours;
  }

  private static ScenarioPool first(Scenario s, PoolKind kind) {
    return s.pools().stream().filter(p -> p.kind() == kind).findFirst().orElse(null);
  }

  static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }
}
