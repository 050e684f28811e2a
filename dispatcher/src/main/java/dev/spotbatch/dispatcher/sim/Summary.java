package dev.spotbatch.dispatcher.sim;

import java.util.List;

/**
 * One strategy over several seeds.
 *
 * @param unfinished runs that did not finish within the horizon (they are in the figures with the
 *     cost and time they had used)
 * @param savingsVsOnDemand {@code 1 - usd / on-demand usd}, over the means; null without an
 *     on-demand run to compare with
 * @param makespanVsOnDemand {@code makespan / on-demand makespan - 1}; null likewise
 */
public record Summary(
    Strategy strategy,
    DrainMode drainMode,
    int runs,
    int unfinished,
    Spread usd,
    Spread makespanHours,
    Spread wastedUsd,
    Spread recordsProcessedTwice,
    Spread interruptions,
    Spread launchFailures,
    Double savingsVsOnDemand,
    Double makespanVsOnDemand,
    List<RunResult> results) {
  public Summary {
    results = List.copyOf(results);
  }

  static Summary of(Strategy strategy, DrainMode mode, List<RunResult> results, Summary baseline) {
    Spread usd = Spread.of(results, RunResult::usd);
    Spread makespan = Spread.of(results, RunResult::makespanHours);
    Double savings = null;
    Double longer = null;
    if (baseline != null && baseline.usd().mean() > 0) {
      savings = 1 - usd.mean() / baseline.usd().mean();
      longer = makespan.mean() / baseline.makespanHours().mean() - 1;
    }
    return new Summary(
        strategy,
        mode,
        results.size(),
        (int) results.stream().filter(r -> r.outcome() == RunResult.Outcome.UNFINISHED).count(),
        usd,
        makespan,
        Spread.of(results, RunResult::wastedUsd),
        Spread.of(results, RunResult::recordsProcessedTwice),
        Spread.of(results, RunResult::interruptions),
        Spread.of(results, RunResult::launchFailures),
        savings,
        longer,
        results);
  }
}
