package dev.spotbatch.dispatcher.sim;

import dev.spotbatch.dispatcher.fleet.scaling.Autoscaler;
import dev.spotbatch.dispatcher.fleet.scaling.PriceForecast;
import dev.spotbatch.dispatcher.fleet.scaling.ScalingSettings;
import dev.spotbatch.dispatcher.fleet.scaling.SlackMode;
import dev.spotbatch.dispatcher.fleet.scaling.SlackSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How one run goes: which pools (strategy), what a notice does (drain mode), whether a deadline's
 * slack is used, and the seed.
 *
 * @param seed every random draw of the run comes from it
 */
public record RunSpec(Strategy strategy, DrainMode drainMode, SlackMode slack, long seed) {
  public RunSpec {
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(drainMode, "drainMode");
    Objects.requireNonNull(slack, "slack");
  }

  /** A run that does not use slack. */
  public RunSpec(Strategy strategy, DrainMode drainMode, long seed) {
    this(strategy, drainMode, SlackMode.OFF, seed);
  }

  /**
   * The real autoscaler as a run uses it: at most {@code fleet.workers} working workers, the mixed
   * strategy's on-demand base, and undated work sized to drain within a minute, so the fleet runs
   * at its maximum while work is left (as a user who sized the fleet expects).
   */
  Autoscaler autoscaler(Scenario scenario, Clock clock, PriceForecast forecast) {
    int workers = scenario.fleet().workers();
    int base =
        strategy == Strategy.MIXED
            ? (int) Math.ceil(workers * scenario.fleet().mixedOnDemandShare())
            : 0;
    ScalingSettings settings =
        ScalingSettings.builder()
            .maxWorkers(workers)
            .onDemandBase(base)
            .undatedDrainTarget(Duration.ofMinutes(1))
            .assumedRecordsPerSecondPerWorker(scenario.job().recordsPerSecondPerWorker())
            .build();
    return slack == SlackMode.OFF
        ? new Autoscaler(settings, clock)
        : new Autoscaler(settings, clock, SlackSettings.cheapestHours(), forecast);
  }
}
