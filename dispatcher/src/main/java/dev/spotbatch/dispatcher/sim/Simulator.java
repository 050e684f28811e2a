package dev.spotbatch.dispatcher.sim;

import dev.spotbatch.dispatcher.fleet.scaling.SlackMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs scenarios: one run, or each strategy over several seeds (the same seeds for every strategy,
 * so they meet the same market) compared with all on-demand. Plain Java; the CLI and {@code POST
 * /api/v1/estimates} use it.
 */
public final class Simulator {

  /** One run. */
  public RunResult run(Scenario scenario, RunSpec spec) {
    return new Simulation(scenario, spec).run();
  }

  /**
   * Each of {@code runs} (strategy, drain mode) pairs over seeds {@code firstSeed .. firstSeed +
   * runs - 1}; all on-demand is run first as the baseline (and reported first). Strategies the
   * scenario has no pool for are left out.
   */
  public List<Summary> compare(
      Scenario scenario, List<Variant> variants, long firstSeed, int runs) {
    if (runs < 1 || runs > 1000) {
      throw new IllegalArgumentException("runs must be 1..1000");
    }
    Summary baseline =
        Summary.of(
            Strategy.ON_DEMAND,
            DrainMode.SPOTBATCH,
            runAll(scenario, new Variant(Strategy.ON_DEMAND, DrainMode.SPOTBATCH), firstSeed, runs),
            null);
    baseline = Summary.of(Strategy.ON_DEMAND, DrainMode.SPOTBATCH, baseline.results(), baseline);
    List<Summary> out = new ArrayList<>();
    out.add(baseline);
    for (Variant v : variants) {
      if (v.strategy() == Strategy.ON_DEMAND || !scenario.offers(v.strategy())) {
        continue;
      }
      out.add(
          Summary.of(v.strategy(), v.drainMode(), runAll(scenario, v, firstSeed, runs), baseline));
    }
    return out;
  }

  private List<RunResult> runAll(Scenario scenario, Variant v, long firstSeed, int runs) {
    List<RunResult> results = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      results.add(
          run(scenario, new RunSpec(v.strategy(), v.drainMode(), v.slack(), firstSeed + i)));
    }
    return results;
  }

  /** A strategy with a drain mode, and whether it uses a deadline's slack. */
  public record Variant(Strategy strategy, DrainMode drainMode, SlackMode slack) {
    public Variant(Strategy strategy, DrainMode drainMode) {
      this(strategy, drainMode, SlackMode.OFF);
    }
  }
}
