package dev.spotbatch.dispatcher.sim;

import java.io.PrintStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The simulator's command line ({@code ./spotbatch-sim.sh}): runs a scenario's strategies over
 * several seeds and prints Markdown tables. {@code --help} lists the options.
 */
public final class SimCli {
  static final String USAGE =
      """
      usage: spotbatch-sim.sh [--scenario NAME|FILE] [--seed N] [--runs K] [--drain spotbatch|restart|both]
                              [--interruptions RATE] [--item-records N] [--sweep RATE,RATE,...]
                              [--start INSTANT] [--deadline-hours H] [--slack] [--list] [--print NAME]
        --scenario       a built-in scenario or a scenario file (default seed-h100)
        --seed           the first seed (default 1); run i uses seed + i
        --runs           seeds per strategy (default 5)
        --drain          what a notice does on spot: spotbatch's drain, restart from scratch, or both
        --interruptions  override every spot pool's rate (interruptions per worker-hour, e.g. 0.041)
        --item-records   override the records per work item (restart from scratch loses up to one item)
        --sweep          the P5 table: spot with spotbatch's drain vs restart vs budget, per rate
        --start          override when the market clock starts (ISO-8601, UTC; its hour of week matters)
        --deadline-hours override the job's deadline, in hours after the start
        --slack          spot at full speed vs paced to the deadline vs in the cheapest hours (slack)
        --list           the built-in scenarios
        --print          print a built-in scenario file (to copy and edit)
      """;

  private SimCli() {}

  public static void main(String[] args) {
    // before anything logs: the autoscaler's INFO decisions are not for this table
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "sim-logback.xml");
    }
    try {
      System.exit(run(args, System.out));
    } catch (IllegalArgumentException e) {
      System.err.println("spotbatch-sim: " + e.getMessage());
      System.err.print(USAGE);
      System.exit(2);
    }
  }

  static int run(String[] args, PrintStream out) {
    Options o = Options.parse(args);
    if (o.help) {
      out.print(USAGE);
      return 0;
    }
    if (o.list) {
      for (String name : Scenarios.BUILT_IN) {
        out.println(name + ": " + Scenarios.load(name).description());
      }
      return 0;
    }
    if (o.print != null) {
      out.print(Scenarios.text(o.print));
      return 0;
    }
    Scenario scenario = Scenarios.load(o.scenario);
    if (o.interruptions != null) {
      double rate = o.interruptions;
      scenario = scenario.withPools(p -> p.withInterruptionsPerHour(rate));
    }
    if (o.itemRecords != null || o.deadlineHours != null) {
      Scenario.Job j = scenario.job();
      long items = o.itemRecords == null ? j.itemRecords() : o.itemRecords;
      scenario =
          scenario.withJob(
              new Scenario.Job(
                  j.records(),
                  j.recordsPerSecondPerWorker(),
                  items,
                  Math.min(j.chunkRecords(), items),
                  o.deadlineHours == null ? j.deadlineHours() : o.deadlineHours));
    }
    if (o.start != null) {
      scenario = scenario.withStart(o.start);
    }
    SimReport report = new SimReport(out);
    report.header(scenario, o.seed, o.runs);
    Simulator sim = new Simulator();
    if (o.slack) {
      if (scenario.job().deadlineHours() == null) {
        throw new IllegalArgumentException(
            "--slack needs a deadline: give --deadline-hours (the scenario has none)");
      }
      report.slack(scenario, o.seed, o.runs, sim);
      return 0;
    }
    if (!o.sweep.isEmpty()) {
      report.sweep(scenario, o.sweep, o.seed, o.runs, sim);
      return 0;
    }
    List<Simulator.Variant> variants = new ArrayList<>();
    for (DrainMode mode : o.drainModes) {
      variants.add(new Simulator.Variant(Strategy.SPOT, mode));
    }
    variants.add(new Simulator.Variant(Strategy.MIXED, DrainMode.SPOTBATCH));
    variants.add(new Simulator.Variant(Strategy.BUDGET, DrainMode.SPOTBATCH));
    List<Summary> summaries = sim.compare(scenario, variants, o.seed, o.runs);
    report.summaries(summaries);
    report.pools(summaries);
    return 0;
  }

  /** The parsed command line. */
  private static final class Options {
    String scenario = "seed-h100";
    long seed = 1;
    int runs = 5;
    List<DrainMode> drainModes = List.of(DrainMode.SPOTBATCH, DrainMode.RESTART);
    Double interruptions;
    Long itemRecords;
    Instant start;
    Double deadlineHours;
    boolean slack;
    List<Double> sweep = List.of();
    boolean list;
    boolean help;
    String print;

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--help", "-h" -> o.help = true;
          case "--list" -> o.list = true;
          case "--print" -> o.print = value(args, ++i, a);
          case "--scenario" -> o.scenario = value(args, ++i, a);
          case "--seed" -> o.seed = number(value(args, ++i, a), a);
          case "--runs" -> o.runs = (int) number(value(args, ++i, a), a);
          case "--interruptions" -> o.interruptions = decimal(value(args, ++i, a), a);
          case "--item-records" -> o.itemRecords = number(value(args, ++i, a), a);
          case "--start" -> o.start = instant(value(args, ++i, a), a);
          case "--deadline-hours" -> o.deadlineHours = hours(value(args, ++i, a), a);
          case "--slack" -> o.slack = true;
          case "--sweep" ->
              o.sweep =
                  Arrays.stream(value(args, ++i, a).split(","))
                      .map(s -> decimal(s.trim(), a))
                      .toList();
          case "--drain" -> o.drainModes = drainModes(value(args, ++i, a));
          default -> throw new IllegalArgumentException("unknown option " + a);
        }
      }
      if (o.runs < 1 || o.runs > 1000) {
        throw new IllegalArgumentException("--runs must be 1..1000");
      }
      return o;
    }

    static List<DrainMode> drainModes(String v) {
      return switch (v.toLowerCase(Locale.ROOT)) {
        case "spotbatch" -> List.of(DrainMode.SPOTBATCH);
        case "restart" -> List.of(DrainMode.RESTART);
        case "both" -> List.of(DrainMode.SPOTBATCH, DrainMode.RESTART);
        default -> throw new IllegalArgumentException("--drain is spotbatch, restart or both");
      };
    }

    static String value(String[] args, int i, String option) {
      if (i >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[i];
    }

    static long number(String v, String option) {
      try {
        return Long.parseLong(v);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(option + " needs a whole number, not '" + v + "'");
      }
    }

    static Instant instant(String v, String option) {
      try {
        return Instant.parse(v);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            option + " needs an ISO-8601 instant such as 2026-01-09T09:00:00Z, not '" + v + "'");
      }
    }

    static double hours(String v, String option) {
      try {
        double d = Double.parseDouble(v);
        if (!(d > 0 && d < 24 * 365)) {
          throw new NumberFormatException();
        }
        return d;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(option + " needs hours > 0, not '" + v + "'");
      }
    }

    static double decimal(String v, String option) {
      try {
        double d = Double.parseDouble(v);
        if (!(d >= 0 && d <= 10)) {
          throw new NumberFormatException();
        }
        return d;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            option + " needs interruptions per worker-hour (0..10, e.g. 0.041), not '" + v + "'");
      }
    }
  }
}
