package dev.spotbatch.dispatcher.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.spotbatch.dispatcher.Fixture;
import dev.spotbatch.dispatcher.config.TemplateTransactions;
import dev.spotbatch.dispatcher.events.EventApplier;
import dev.spotbatch.dispatcher.events.Transactions;
import dev.spotbatch.dispatcher.fleet.DrainReports;
import dev.spotbatch.dispatcher.fleet.FleetSightings;
import dev.spotbatch.dispatcher.fleet.InterruptKind;
import dev.spotbatch.dispatcher.fleet.Interruption;
import dev.spotbatch.dispatcher.fleet.PastInstance;
import dev.spotbatch.dispatcher.fleet.WorkerState;
import dev.spotbatch.dispatcher.fleet.WorkerView;
import dev.spotbatch.dispatcher.job.ItemStatus;
import dev.spotbatch.dispatcher.job.Job;
import dev.spotbatch.event.DrainReport;
import dev.spotbatch.event.ItemCheckpointed;
import dev.spotbatch.event.ItemCompleted;
import dev.spotbatch.event.ItemFailed;
import dev.spotbatch.event.LostLease;
import dev.spotbatch.event.PartRef;
import dev.spotbatch.event.WorkerDraining;
import dev.spotbatch.event.WorkerEvent;
import dev.spotbatch.event.WorkerStopped;
import dev.spotbatch.model.Attempts;
import dev.spotbatch.model.ByteRange;
import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.Lifecycle;
import dev.spotbatch.model.NoticeKind;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.queue.Lease;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * Machine time and wasted work per interruption kind, through the real event applier, machine
 * ledger, fleet sightings and stores: a drain that finishes, checkpoints and hands back wastes
 * nothing; an abandoned lease, a killed machine's lease and a failed attempt are wasted, each
 * priced under its kind; and jobs plus fleet overhead add up to the machine time billed.
 */
abstract class WastedWorkContract {
  static final double SPOT = 0.0336;
  static final double ON_DEMAND = 0.096;

  @TempDir Path dir;
  Fixture f;
  CostStore costs;
  MachineLedger ledger;
  EventApplier applier;
  Job job;
  List<WorkItem> items;
  Instant t0;

  abstract DataSource dataSource() throws Exception;

  static InstanceFacts machine(String id) {
    return new InstanceFacts("aws", id, "m5.large", "us-east-1", "us-east-1a", Lifecycle.SPOT);
  }

  @BeforeEach
  void setUp() throws Exception {
    DataSource ds = dataSource();
    f = new Fixture(dir, ds);
    costs = new CostStore(ds);
    ledger = new MachineLedger(costs, f.jobs);
    // the app's transactions, savepoints included: a failed statement must not poison the batch
    Transactions tx = new TemplateTransactions(new DataSourceTransactionManager(ds));
    applier =
        new EventApplier(f.db, f.manifests, tx, f.meters, new DrainReports(), ledger, e -> {});
    Files.createDirectories(dir.resolve("in"));
    Files.write(dir.resolve("in/docs.jsonl"), new byte[3000]);
    job = f.service.submit(f.submission("in/docs.jsonl", 1024, 3));
    items =
        f.queue.lease(100, Duration.ZERO, Duration.ofMinutes(1)).stream().map(Lease::item).toList();
    assertThat(items).hasSize(3);
    t0 = f.clock.instant();
  }

  Instant at(long seconds) {
    return t0.plusSeconds(seconds);
  }

  void apply(WorkerEvent... events) {
    applier.applyAll(List.of(events));
  }

  ItemCompleted completed(WorkItem item, InstanceFacts m, long from, long to) {
    return new ItemCompleted(
        UUID.randomUUID().toString(),
        item.jobId(),
        item.itemId(),
        item.range(),
        new PartRef(item.partPath(), 10, item.range()),
        null,
        Attempts.NONE,
        "w-" + m.instanceId(),
        m,
        at(from),
        at(to));
  }

  WorkerStopped stopped(
      InstanceFacts m, long from, long to, DrainReport report, List<LostLease> lost) {
    return new WorkerStopped(
        UUID.randomUUID().toString(),
        "w-" + m.instanceId(),
        m,
        report,
        at(to),
        at(from),
        null,
        lost);
  }

  static DrainReport report(
      Instant at, int handedBack, int finished, int checkpointed, int abandoned) {
    return new DrainReport(
        NoticeKind.AWS_SPOT_INTERRUPTION,
        "aws-spot:1",
        at,
        at,
        at.plusSeconds(120),
        null,
        handedBack,
        finished,
        checkpointed,
        abandoned,
        at.plusSeconds(30));
  }

  JobCost cost() {
    return f.service.get(job.id()).cost();
  }

  @Test
  void aDrainThatFinishesChecksPointsAndHandsBackWastesNothing() {
    InstanceFacts m = machine("i-drain");
    WorkItem a = items.get(0);
    ByteRange half = new ByteRange(a.range().start(), a.range().start() + 200);
    apply(
        new WorkerDraining(
            UUID.randomUUID().toString(),
            "w-i-drain",
            m,
            NoticeKind.AWS_SPOT_INTERRUPTION,
            "aws-spot:1",
            at(900),
            at(900),
            at(1020),
            at(900)),
        completed(items.get(1), m, 600, 1000),
        new ItemCheckpointed(
            UUID.randomUUID().toString(),
            a.jobId(),
            a.itemId(),
            new PartRef("cp-part", 4, half),
            null,
            new ByteRange(half.end(), a.range().end()),
            Attempts.NONE,
            "w-i-drain",
            m,
            at(600),
            at(1000)),
        stopped(m, 0, 1200, report(at(900), 1, 1, 1, 0), List.of()));

    JobCost c = cost();
    assertThat(c.wastedUsd()).isZero();
    assertThat(c.wastedByKind()).isEmpty();
    // two items side by side from 600 s to 1000 s: 400 machine-seconds, not 800
    assertThat(c.machineHours()).isCloseTo(400 / 3600.0, within(1e-6));
    MachineSession s = costs.session("i-drain").orElseThrow();
    assertThat(s.ended()).isEqualTo(SessionEnd.STOPPED);
    assertThat(s.start()).isEqualTo(at(0));
    assertThat(s.interruption()).isEqualTo("aws_spot_interruption");

    FleetCost fleet = new CostReport(costs, f.costs.prices()).between(t0, at(3600));
    assertThat(fleet.total().machineHours()).isCloseTo(1200 / 3600.0, within(1e-6));
    assertThat(fleet.total().idleHours()).isCloseTo(800 / 3600.0, within(1e-6));
    assertThat(fleet.total().interruptions()).isEqualTo(1);
    assertThat(fleet.total().usd()).isCloseTo(1200 / 3600.0 * SPOT, within(1e-6));
    assertThat(fleet.total().onDemandUsd()).isCloseTo(1200 / 3600.0 * ON_DEMAND, within(1e-6));
    // the job and the fleet's idle time add up to the machine time billed
    assertThat(c.usd() + fleet.total().idleHours() * SPOT)
        .isCloseTo(fleet.total().usd(), within(1e-6));
  }

  @Test
  void everyNoticeKindIsRecordedAsTheMachinesInterruption() {
    // 'aws_lifecycle_termination' once did not fit its column and failed every batch carrying it
    for (NoticeKind kind : NoticeKind.values()) {
      InstanceFacts m = machine("i-" + kind.name().toLowerCase(java.util.Locale.ROOT));
      DrainReport r =
          new DrainReport(kind, "n:1", at(10), at(10), at(40), null, 0, 0, 0, 0, at(20));
      apply(
          new WorkerDraining(
              UUID.randomUUID().toString(),
              "w-" + m.instanceId(),
              m,
              kind,
              "n:1",
              at(10),
              at(10),
              at(40),
              at(10)),
          stopped(m, 0, 30, r, List.of()));
      assertThat(costs.session(m.instanceId()).orElseThrow().interruption())
          .as(kind.name())
          .isEqualTo(kind.name().toLowerCase(java.util.Locale.ROOT));
    }
  }

  @Test
  void aMachineTimeWriteThatFailsNeverHoldsTheJobStreamBack() {
    InstanceFacts m = machine("i-" + "x".repeat(300)); // longer than any column takes
    apply(stopped(m, 0, 30, null, List.of()), completed(items.get(0), machine("i-ok"), 0, 20));
    assertThat(f.jobs.items().findItem(items.get(0).itemId()).orElseThrow().status())
        .isEqualTo(ItemStatus.SUCCEEDED);
    assertThat(f.meters.counter("spotbatch.events.ledger.failures").count()).isEqualTo(1.0);
  }

  @Test
  void aLeaseAbandonedInADrainIsWastedWorkOfItsJob() {
    InstanceFacts m = machine("i-abandon");
    WorkItem a = items.get(0);
    WorkerStopped stop =
        stopped(
            m,
            0,
            1000,
            report(at(900), 0, 0, 0, 1),
            List.of(new LostLease(a.jobId(), a.itemId(), at(400), 7)));
    apply(stop);
    apply(stop); // at-least-once delivery: counted once

    JobCost c = cost();
    assertThat(c.wastedUsd()).isCloseTo(600 / 3600.0 * SPOT, within(1e-6));
    assertThat(c.wastedByKind()).containsOnlyKeys("abandoned");
    assertThat(c.wastedRecords()).isEqualTo(7);
    assertThat(c.interruptions()).isEqualTo(1);
    assertThat(c.usd()).isCloseTo(c.wastedUsd(), within(1e-9));
  }

  @Test
  void aKilledMachinesLeasesAreWastedAndItsTimeIsBilledAsLost() {
    InstanceFacts m = machine("i-killed");
    WorkItem a = items.get(0);
    WorkItem b = items.get(1);
    FleetSightings sightings = new FleetSightings(ledger, costs, f.clock, Duration.ofSeconds(15));
    WorkerView.Machine machine = new WorkerView.Machine(1, m, t0, 4242L, null, null);
    f.clock.advance(Duration.ofSeconds(100));
    sightings.observe(
        List.of(
            new WorkerView(
                "w1",
                WorkerState.RUNNING,
                0,
                machine,
                new WorkerView.LeaseReport(
                    2,
                    List.of(
                        Map.of("itemId", a.itemId(), "jobId", a.jobId(), "recordsDone", 3),
                        Map.of("itemId", b.itemId(), "jobId", b.jobId(), "recordsDone", 1))),
                null,
                List.of())));
    assertThat(costs.session("i-killed").orElseThrow().ended()).isEqualTo(SessionEnd.RUNNING);
    // b finished after it was last seen: its lease was not lost with the machine
    apply(completed(b, m, 120, 200));
    f.clock.advance(Duration.ofSeconds(200));
    sightings.observe(
        List.of(
            new WorkerView(
                "w1",
                WorkerState.RUNNING,
                1,
                null,
                null,
                null,
                List.of(
                    new PastInstance(
                        "i-killed",
                        1,
                        4242L,
                        t0,
                        at(250),
                        137,
                        new Interruption("w1", "i-killed", InterruptKind.KILL, at(250), null),
                        null,
                        false)))));

    MachineSession s = costs.session("i-killed").orElseThrow();
    assertThat(s.ended()).isEqualTo(SessionEnd.LOST);
    assertThat(s.end()).isEqualTo(at(250));
    assertThat(s.interruption()).isEqualTo("kill");
    JobCost c = cost();
    // a: first seen at 100 s, lost at 250 s, sharing the machine with b from 120 s to 200 s
    assertThat(c.wastedByKind()).containsOnlyKeys("killed");
    assertThat(c.wastedUsd()).isCloseTo(110 / 3600.0 * SPOT, within(1e-6));
    assertThat(c.usd()).isCloseTo(150 / 3600.0 * SPOT, within(1e-6));
    assertThat(c.wastedRecords()).isEqualTo(3);
    FleetCost fleet = new CostReport(costs, f.costs.prices()).between(t0, at(3600));
    assertThat(fleet.total().interruptions()).isEqualTo(1);
    assertThat(fleet.total().machineHours()).isCloseTo(250 / 3600.0, within(1e-6));
    assertThat(fleet.total().interruptionsPerHour()).isCloseTo(3600 / 250.0, within(1e-3));
  }

  @Test
  void aFailedAttemptIsWastedWorkButAFinishedRetryIsNot() {
    InstanceFacts m = machine("i-fail");
    WorkItem a = items.get(0);
    apply(
        new ItemFailed(
            UUID.randomUUID().toString(),
            a.jobId(),
            a.itemId(),
            a.range(),
            "model crashed",
            new Attempts(1, 0),
            false,
            "w-i-fail",
            m,
            at(0),
            at(360),
            null),
        completed(a, m, 400, 760));

    JobCost c = cost();
    assertThat(c.wastedByKind()).containsOnlyKeys("failed-attempt");
    assertThat(c.wastedUsd()).isCloseTo(360 / 3600.0 * SPOT, within(1e-6));
    assertThat(c.usd()).isCloseTo(720 / 3600.0 * SPOT, within(1e-6));
    assertThat(c.onDemandUsd()).isCloseTo(720 / 3600.0 * ON_DEMAND, within(1e-6));
    assertThat(c.savingsPct()).isCloseTo(65.0, within(1e-9));
  }
}
