package dev.spotbatch.dispatcher.sim;

import dev.spotbatch.dispatcher.fleet.scaling.SlackMode;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The simulator's tables, in Markdown, for the command line and docs/BENCHMARKS.md. */
final class SimReport {
  private final PrintStream out;

  SimReport(PrintStream out) {
    this.out = out;
  }

  void header(Scenario s, long seed, int runs) {
    out.println("scenario " + s.name() + ": " + s.description());
    out.printf(
        Locale.ROOT,
        "seeds %d..%d (%d run(s) per strategy); %,d records, %d workers at most%n%n",
        seed,
        seed + runs - 1,
        runs,
        s.job().records(),
        s.fleet().workers());
  }

  void summaries(List<Summary> summaries) {
    out.println(
        "| strategy | drain | cost, mean [min-max] | vs all on-demand | makespan h [min-max] |"
            + " makespan vs on-demand | records processed twice | wasted | interruptions |"
            + " launch failures |");
    out.println("|---|---|---|---|---|---|---|---|---|---|");
    for (Summary s : summaries) {
      out.printf(
          Locale.ROOT,
          "| %s | %s | %s [%s-%s] | %s | %.2f [%.2f-%.2f] | %s | %,.0f | %s | %.1f | %.1f |%s%n",
          s.strategy().apiName(),
          mode(s),
          usd(s.usd().mean()),
          usd(s.usd().min()),
          usd(s.usd().max()),
          s.strategy() == Strategy.ON_DEMAND ? "baseline" : savings(s.savingsVsOnDemand()),
          s.makespanHours().mean(),
          s.makespanHours().min(),
          s.makespanHours().max(),
          s.strategy() == Strategy.ON_DEMAND ? "baseline" : pct(s.makespanVsOnDemand(), ""),
          s.recordsProcessedTwice().mean(),
          usd(s.wastedUsd().mean()),
          s.interruptions().mean(),
          s.launchFailures().mean(),
          s.unfinished() > 0 ? " " + s.unfinished() + " run(s) unfinished" : "");
    }
    out.println();
  }

  void pools(List<Summary> summaries) {
    out.println(
        "| strategy | drain | pool | cost (mean) | machine hours | launches | launch failures |"
            + " interruptions |");
    out.println("|---|---|---|---|---|---|---|---|");
    for (Summary s : summaries) {
      Map<String, double[]> byPool = new LinkedHashMap<>();
      for (RunResult r : s.results()) {
        for (RunResult.PoolResult p : r.pools()) {
          double[] a = byPool.computeIfAbsent(p.pool(), k -> new double[5]);
          a[0] += p.usd();
          a[1] += p.machineHours();
          a[2] += p.launches();
          a[3] += p.launchFailures();
          a[4] += p.interruptions();
        }
      }
      int n = s.results().size();
      byPool.forEach(
          (pool, a) ->
              out.printf(
                  Locale.ROOT,
                  "| %s | %s | %s | %s | %.1f | %.1f | %.1f | %.1f |%n",
                  s.strategy().apiName(),
                  mode(s),
                  pool,
                  usd(a[0] / n),
                  a[1] / n,
                  a[2] / n,
                  a[3] / n,
                  a[4] / n));
    }
    out.println();
  }

  /** The P5 table: per spot interruption rate, spot with both drains against the alternatives. */
  void sweep(Scenario scenario, List<Double> rates, long seed, int runs, Simulator sim) {
    out.println(
        "| spot interruptions /h | on-demand | spot, spotbatch drain | spot, restart from scratch"
            + " | budget provider |");
    out.println("|---|---|---|---|---|");
    for (double rate : rates) {
      Scenario s = scenario.withPools(p -> p.withInterruptionsPerHour(rate));
      List<Summary> all =
          sim.compare(
              s,
              List.of(
                  new Simulator.Variant(Strategy.SPOT, DrainMode.SPOTBATCH),
                  new Simulator.Variant(Strategy.SPOT, DrainMode.RESTART),
                  new Simulator.Variant(Strategy.BUDGET, DrainMode.SPOTBATCH)),
              seed,
              runs);
      out.printf(
          Locale.ROOT,
          "| %.1f%% | %s | %s | %s | %s |%n",
          rate * 100,
          cell(all.get(0)),
          cell(find(all, Strategy.SPOT, DrainMode.SPOTBATCH)),
          cell(find(all, Strategy.SPOT, DrainMode.RESTART)),
          cell(find(all, Strategy.BUDGET, DrainMode.SPOTBATCH)));
    }
    out.println();
    out.println(
        "each cell: mean cost (vs all on-demand), makespan hours (vs on-demand), records processed"
            + " twice, over the seeds");
  }

  /**
   * The savings of slack: spot at full speed (as without a deadline), paced to the deadline (the
   * autoscaler without the slack policy), and in the cheapest hours before it (with the policy).
   */
  void slack(Scenario scenario, long seed, int runs, Simulator sim) {
    Scenario undated =
        scenario.withJob(
            new Scenario.Job(
                scenario.job().records(),
                scenario.job().recordsPerSecondPerWorker(),
                scenario.job().itemRecords(),
                scenario.job().chunkRecords(),
                null));
    List<Summary> fast =
        sim.compare(
            undated,
            List.of(new Simulator.Variant(Strategy.SPOT, DrainMode.SPOTBATCH)),
            seed,
            runs);
    List<Summary> dated =
        sim.compare(
            scenario,
            List.of(
                new Simulator.Variant(Strategy.SPOT, DrainMode.SPOTBATCH, SlackMode.OFF),
                new Simulator.Variant(
                    Strategy.SPOT, DrainMode.SPOTBATCH, SlackMode.CHEAPEST_HOURS)),
            seed,
            runs);
    double deadline = scenario.job().deadlineHours();
    out.printf(
        Locale.ROOT,
        "start %s, deadline %.1f h later (%s)%n%n",
        scenario.start(),
        deadline,
        scenario.start().plusSeconds(Math.round(deadline * 3600)));
    out.println(
        "| schedule | cost, mean [min-max] | vs spot at full speed | makespan h [min-max] |"
            + " deadline met | interruptions |");
    out.println("|---|---|---|---|---|---|");
    Summary full = fast.get(1);
    slackRow("on-demand, paced to the deadline", dated.get(0), full, deadline);
    slackRow("spot at full speed (no deadline)", full, full, deadline);
    slackRow("spot paced to the deadline", dated.get(1), full, deadline);
    slackRow("spot in the cheapest hours (slack)", dated.get(2), full, deadline);
    out.println();
  }

  private void slackRow(String label, Summary s, Summary full, double deadline) {
    long met =
        s.results().stream()
            .filter(r -> r.outcome() == RunResult.Outcome.DONE && r.makespanHours() <= deadline)
            .count();
    out.printf(
        Locale.ROOT,
        "| %s | %s [%s-%s] | %s | %.2f [%.2f-%.2f] | %d of %d | %.1f |%n",
        label,
        usd(s.usd().mean()),
        usd(s.usd().min()),
        usd(s.usd().max()),
        s == full ? "-" : pct(s.usd().mean() / full.usd().mean() - 1, ""),
        s.makespanHours().mean(),
        s.makespanHours().min(),
        s.makespanHours().max(),
        met,
        s.runs(),
        s.interruptions().mean());
  }

  private static Summary find(List<Summary> all, Strategy strategy, DrainMode mode) {
    return all.stream()
        .filter(s -> s.strategy() == strategy && s.drainMode() == mode)
        .findFirst()
        .orElse(null);
  }

  private static String cell(Summary s) {
    if (s == null) {
      return "n/a";
    }
    String base =
        s.strategy() == Strategy.ON_DEMAND
            ? String.format(
                Locale.ROOT, "%s, %.2f h", usd(s.usd().mean()), s.makespanHours().mean())
            : String.format(
                Locale.ROOT,
                "%s (%s), %.2f h (%s), %,.0f twice",
                usd(s.usd().mean()),
                pct(-s.savingsVsOnDemand(), ""),
                s.makespanHours().mean(),
                pct(s.makespanVsOnDemand(), ""),
                s.recordsProcessedTwice().mean());
    return s.unfinished() > 0 ? base + ", " + s.unfinished() + " unfinished" : base;
  }

  private static String mode(Summary s) {
    return s.strategy() == Strategy.SPOT || s.strategy() == Strategy.MIXED
        ? s.drainMode() == DrainMode.SPOTBATCH ? "spotbatch" : "restart"
        : "-";
  }

  static String usd(double v) {
    return String.format(Locale.ROOT, "$%,.2f", v);
  }

  static String savings(Double v) {
    if (v == null) {
      return "n/a";
    }
    return String.format(
        Locale.ROOT, "%.1f%% %s", Math.abs(v) * 100, v >= 0 ? "cheaper" : "dearer");
  }

  static String pct(Double v, String suffix) {
    if (v == null) {
      return "n/a";
    }
    return String.format(Locale.ROOT, "%+.1f%%%s", v * 100, suffix.isEmpty() ? "" : " " + suffix)
        .replace("+-", "-");
  }
}
