package dev.spotbatch.dispatcher.sim;

import java.util.List;

/**
 * What one simulated run cost and took.
 *
 * @param outcome whether every record was committed within the simulated horizon
 * @param usd what every machine cost, launch to exit
 * @param onDemandEquivalentUsd the same machine hours at the on-demand price of their type
 * @param makespanHours from the start to the last record committed
 * @param machineHours every machine's time, launch to exit
 * @param recordsProcessedTwice records processed again after an interruption
 * @param wastedUsd the machine time of those records, priced
 * @param interruptions spot interruptions (with or without a notice)
 * @param noticeless interruptions that came without a notice
 * @param drains what the drain did with the items running at a notice
 * @param pools per pool
 */
public record RunResult(
    String scenario,
    Strategy strategy,
    DrainMode drainMode,
    long seed,
    Outcome outcome,
    double usd,
    double onDemandEquivalentUsd,
    double makespanHours,
    double machineHours,
    long recordsProcessedTwice,
    double wastedUsd,
    int interruptions,
    int noticeless,
    Drains drains,
    int launchFailures,
    List<PoolResult> pools) {
  public RunResult {
    pools = List.copyOf(pools);
  }

  /**
   * The drain decisions carried out at notices ({@link dev.spotbatch.drain.DrainPlanner}'s), and
   * items lost when the machine went before they ended (always so for {@link DrainMode#RESTART}).
   */
  public record Drains(int finished, int checkpointed, int handedBack, int lost) {}

  /** Whether the job ended. */
  public enum Outcome {
    /** Every record was committed. */
    DONE,
    /** The simulated horizon ran out first (no capacity, or far too little). */
    UNFINISHED
  }

  /**
   * One pool's share of a run.
   *
   * @param launches machines launched
   * @param launchFailures launches that failed for lack of capacity
   */
  public record PoolResult(
      String pool,
      PoolKind kind,
      String instanceType,
      double usd,
      double machineHours,
      int launches,
      int launchFailures,
      int interruptions) {}
}
