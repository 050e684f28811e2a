package dev.spotbatch.dispatcher.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What one run counted as it went, and the {@link RunResult} made of it and the fleet's bills. */
final class RunCounts {
  long wasted;
  double wastedUsd;
  int interruptions;
  int noticeless;
  int finished;
  int checkpointed;
  int handedBack;
  int lost;

  RunResult result(
      Scenario scenario, RunSpec spec, SimFleet fleet, Duration makespan, boolean done) {
    List<RunResult.PoolResult> pools = new ArrayList<>();
    double usd = 0;
    double hours = 0;
    double onDemandUsd = 0;
    int failures = 0;
    for (var e : fleet.ledgers().entrySet()) {
      ScenarioPool p = fleet.pool(e.getKey());
      SimFleet.PoolLedger l = e.getValue();
      double h = l.seconds / 3600;
      pools.add(
          new RunResult.PoolResult(
              p.name(),
              p.kind(),
              p.instanceType(),
              l.usd,
              h,
              l.launches,
              l.launchFailures,
              l.interruptions));
      usd += l.usd;
      hours += h;
      onDemandUsd += h * onDemandPrice(scenario, p);
      failures += l.launchFailures;
    }
    return new RunResult(
        scenario.name(),
        spec.strategy(),
        spec.drainMode(),
        spec.seed(),
        done ? RunResult.Outcome.DONE : RunResult.Outcome.UNFINISHED,
        usd,
        onDemandUsd,
        makespan.toMillis() / 3_600_000.0,
        hours,
        wasted,
        wastedUsd,
        interruptions,
        noticeless,
        new RunResult.Drains(finished, checkpointed, handedBack, lost),
        failures,
        pools);
  }

  /** The on-demand price of the pool's type (the scenario's first on-demand pool's if none). */
  private static double onDemandPrice(Scenario scenario, ScenarioPool p) {
    List<ScenarioPool> od =
        scenario.pools().stream().filter(q -> q.kind() == PoolKind.ON_DEMAND).toList();
    return od.stream()
        .filter(q -> q.instanceType().equals(p.instanceType()))
        .findFirst()
        .orElse(od.get(0))
        .usdPerHour();
  }
}
