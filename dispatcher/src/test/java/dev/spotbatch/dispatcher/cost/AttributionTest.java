package dev.spotbatch.dispatcher.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.spotbatch.dispatcher.job.UsageRow;
import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.Lifecycle;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AttributionTest {
  static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  final PriceBook book =
      new PriceBook(
          List.of(
              new Price("aws", "g5.xlarge", Lifecycle.ON_DEMAND, 1.006),
              new Price("aws", "g5.xlarge", Lifecycle.SPOT, 0.40),
              new Price("aws", "c7i.xlarge", Lifecycle.ON_DEMAND, 0.1785)));
  final CostCalculator calc = new CostCalculator(book);

  static InstanceFacts machine(String id, String type, Lifecycle l) {
    return new InstanceFacts("aws", id, type, "us-east-1", "us-east-1a", l);
  }

  static MachineSession session(InstanceFacts i, long start, long end) {
    return new MachineSession(
        i.instanceId(),
        "w-" + i.instanceId(),
        i,
        null,
        T0.plusSeconds(start),
        T0.plusSeconds(end),
        SessionEnd.STOPPED,
        null);
  }

  static UsageRow work(String id, String job, InstanceFacts i, long start, long end) {
    return new UsageRow(
        id, job, job + "-" + id, "w", i, end - start, T0.plusSeconds(end), 10, null);
  }

  @Test
  void concurrentItemsShareAndIdleAndBootTimeGoToTheFleet() {
    InstanceFacts m = machine("i-1", "g5.xlarge", Lifecycle.SPOT);
    // boots 0-100, item a 100-300, item b 200-400 (side by side 200-300), idle 400-1000
    Attribution.Result r =
        Attribution.split(
            List.of(session(m, 0, 1000)),
            List.of(work("a", "j1", m, 100, 300), work("b", "j2", m, 200, 400)),
            null,
            T0.plusSeconds(5000));

    assertThat(r.shareSeconds().get("a")).isCloseTo(150, within(1e-9));
    assertThat(r.shareSeconds().get("b")).isCloseTo(150, within(1e-9));
    Attribution.MachineTime t = r.machines().get(0);
    assertThat(t.machineSeconds()).isCloseTo(1000, within(1e-9));
    assertThat(t.busySeconds()).isCloseTo(300, within(1e-9));
    assertThat(t.idleSeconds()).isCloseTo(700, within(1e-9));
  }

  @Test
  void aWindowCutsMachinesAndWorkAtItsEdges() {
    InstanceFacts m = machine("i-1", "g5.xlarge", Lifecycle.SPOT);
    Attribution.Result r =
        Attribution.split(
            List.of(session(m, 0, 1000)),
            List.of(work("a", "j1", m, 100, 300)),
            T0.plusSeconds(200),
            T0.plusSeconds(600));
    assertThat(r.shareSeconds().get("a")).isCloseTo(100, within(1e-9));
    assertThat(r.machines().get(0).machineSeconds()).isCloseTo(400, within(1e-9));
  }

  /**
   * The acceptance rule: over many machines, jobs and overlapping items, the jobs' costs plus the
   * fleet's idle cost equal the cost of the machine time billed, in hours and in dollars.
   */
  @Test
  void jobsPlusFleetOverheadAddUpToTheMachineTimeBilled() {
    Random random = new Random(42);
    List<MachineSession> sessions = new ArrayList<>();
    List<UsageRow> rows = new ArrayList<>();
    List<String> jobs = List.of("j1", "j2", "j3");
    int n = 0;
    for (int m = 0; m < 6; m++) {
      InstanceFacts i =
          machine(
              "i-" + m,
              m % 3 == 0 ? "c7i.xlarge" : "g5.xlarge",
              m % 2 == 0 ? Lifecycle.SPOT : Lifecycle.ON_DEMAND);
      long start = random.nextInt(600);
      long end = start + 1800 + random.nextInt(3600);
      sessions.add(session(i, start, end));
      // two slots, each running items one after another, with gaps
      for (int slot = 0; slot < 2; slot++) {
        long t = start + 60 + random.nextInt(120);
        while (t < end - 60) {
          long len = 30 + random.nextInt(400);
          long stop = Math.min(end, t + len);
          String job = jobs.get(random.nextInt(jobs.size()));
          rows.add(
              random.nextInt(5) == 0
                  ? new UsageRow(
                      "r" + n,
                      job,
                      "x",
                      "w",
                      i,
                      stop - t,
                      T0.plusSeconds(stop),
                      5,
                      WasteKind.KILLED)
                  : work("r" + n, job, i, t, stop));
          n++;
          t = stop + random.nextInt(90);
        }
      }
    }
    Instant to = T0.plusSeconds(100_000);
    Attribution.Result split = Attribution.split(sessions, rows, T0, to);
    FleetCost fleet = CostReport.of(T0, to, sessions, rows, book);

    double jobHours = 0;
    double jobUsd = 0;
    double jobWasted = 0;
    for (String j : jobs) {
      JobCost c = calc.cost(j, rows, split);
      jobHours += c.machineHours();
      jobUsd += c.usd();
      jobWasted += c.wastedUsd();
    }
    double idleUsd = 0;
    double billedHours = 0;
    for (Attribution.MachineTime t : split.machines()) {
      idleUsd += t.idleSeconds() / 3600 * book.quote(t.instance()).usdPerHour();
      billedHours += t.machineSeconds() / 3600;
    }
    double sessionHours =
        sessions.stream().mapToDouble(s -> s.duration(to).toMillis() / 3_600_000.0).sum();

    assertThat(billedHours).isCloseTo(sessionHours, within(1e-9));
    assertThat(jobHours + fleet.total().idleHours()).isCloseTo(billedHours, within(1e-4));
    assertThat(jobUsd + idleUsd).isCloseTo(fleet.total().usd(), within(1e-4));
    assertThat(jobWasted).isPositive().isCloseTo(fleet.total().wastedUsd(), within(1e-4));
    assertThat(fleet.total().machineHours()).isCloseTo(billedHours, within(1e-4));
    assertThat(fleet.pools()).hasSize(4);
  }
}
