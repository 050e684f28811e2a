package dev.spotbatch.dispatcher.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.dispatcher.Databases;
import dev.spotbatch.dispatcher.Fixture;
import dev.spotbatch.dispatcher.job.Job;
import dev.spotbatch.dispatcher.job.JobStatus;
import dev.spotbatch.event.ItemCompleted;
import dev.spotbatch.event.ItemFailed;
import dev.spotbatch.event.PartRef;
import dev.spotbatch.model.Attempts;
import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.Lifecycle;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.queue.Lease;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reconciler on a real job store (H2 with the migrations) and the in-memory work queue: the
 * queue "loses" messages by having them leased and deleted with no event, as an embedded queue that
 * restarted empty would.
 */
class ReconcilerTest {
  static final InstanceFacts SPOT =
      new InstanceFacts("aws", "i-1", "m5.large", "us-east-1", "us-east-1a", Lifecycle.SPOT);
  static final RecoverySettings SETTINGS =
      new RecoverySettings(
          Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(15), 1000, 10);

  @TempDir Path dir;
  Fixture f;
  RecoveryStore store;
  Reconciler reconciler;
  Job job;
  boolean eventsCaughtUp = true;

  @BeforeEach
  void setUp() throws Exception {
    DataSource ds = Databases.h2();
    f = new Fixture(dir, ds);
    store = new RecoveryStore(ds);
    reconciler =
        new Reconciler(
            store,
            f.jobs,
            f.queue,
            SETTINGS,
            () -> eventsCaughtUp ? Optional.of(f.clock.instant()) : Optional.empty(),
            f.clock,
            f.meters);
    Files.createDirectories(dir.resolve("in"));
    Files.write(dir.resolve("in/docs.jsonl"), new byte[3000]);
    job = f.service.submit(f.submission("in/docs.jsonl", 1024, 3));
  }

  /** Takes every message off the queue without an event: the queue lost them. */
  List<WorkItem> loseTheQueue() {
    List<Lease> leases = f.queue.lease(100, Duration.ZERO, Duration.ofMinutes(1));
    leases.forEach(f.queue::complete);
    return leases.stream().map(Lease::item).toList();
  }

  @Test
  void itemsWhoseMessagesWereLostAreResentOnceSilentForLeasePlusMarginAndTheJobFinishes() {
    List<WorkItem> lost = loseTheQueue();
    assertThat(lost).hasSize(3);

    f.clock.advance(Duration.ofSeconds(89));
    assertThat(reconciler.reconcile().verdict()).isEqualTo(Verdict.NONE_STALE);
    assertThat(f.queue.stats().total()).isZero();

    f.clock.advance(Duration.ofSeconds(2));
    ResendPlan plan = reconciler.reconcile();
    assertThat(plan.verdict()).isEqualTo(Verdict.RESEND);
    assertThat(plan.resend()).hasSize(3);
    assertThat(f.meters.counter("spotbatch.items.resent").count()).isEqualTo(3);

    // the next round sees them on the queue and sends nothing more
    assertThat(reconciler.reconcile().verdict()).isEqualTo(Verdict.QUEUE_HOLDS_THEM);
    List<Lease> resent = f.queue.lease(100, Duration.ZERO, Duration.ofMinutes(1));
    assertThat(resent)
        .extracting(l -> l.item().itemId())
        .containsExactlyInAnyOrderElementsOf(lost.stream().map(WorkItem::itemId).toList());

    // the re-sent items complete; a late duplicate of the first run changes nothing
    for (Lease l : resent) {
      f.applier.applyAll(List.of(completed(l.item())));
      f.queue.complete(l);
    }
    f.applier.applyAll(List.of(completed(lost.get(0))));
    Job done = f.jobs.findJob(job.id()).orElseThrow();
    assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(f.jobs.items().selectedParts(job.id()).data()).hasSize(3);
  }

  @Test
  void anItemWithARecentEventIsNotResentWhileTheSilentOnesAre() {
    List<WorkItem> lost = loseTheQueue();
    f.clock.advance(Duration.ofSeconds(60));
    f.applier.applyAll(List.of(failed(lost.get(0)))); // a retry is on its way: a sign of life
    f.clock.advance(Duration.ofSeconds(31));

    ResendPlan plan = reconciler.reconcile();

    assertThat(plan.verdict()).isEqualTo(Verdict.RESEND);
    assertThat(plan.resend())
        .extracting(ItemSign::itemId)
        .containsExactlyInAnyOrder(lost.get(1).itemId(), lost.get(2).itemId());
  }

  @Test
  void aResentItemWaitsAnotherLeasePlusMarginBeforeItIsResentAgain() {
    WorkItem item = loseTheQueue().get(0);
    f.clock.advance(Duration.ofSeconds(91));
    reconciler.reconcile();
    loseTheQueue(); // lost again

    f.clock.advance(Duration.ofSeconds(60));
    assertThat(reconciler.reconcile().verdict()).isEqualTo(Verdict.NONE_STALE);
    f.clock.advance(Duration.ofSeconds(31));
    assertThat(reconciler.reconcile().resend()).hasSize(3);
    assertThat(store.resends(item.itemId())).isEqualTo(2);
  }

  @Test
  void nothingIsResentWhileWorkerEventsAreStillBeingApplied() {
    loseTheQueue();
    f.clock.advance(Duration.ofMinutes(10));
    eventsCaughtUp = false; // e.g. completions waited on the event queue through an outage
    assertThat(reconciler.reconcile().verdict()).isEqualTo(Verdict.EVENTS_BEHIND);
    assertThat(f.queue.stats().total()).isZero();
    eventsCaughtUp = true;
    assertThat(reconciler.reconcile().resend()).hasSize(3);
  }

  @Test
  void itemsOfACancelledJobAreNotResent() {
    loseTheQueue();
    f.service.cancel(job.id());
    f.clock.advance(Duration.ofMinutes(10));
    assertThat(reconciler.reconcile().verdict()).isEqualTo(Verdict.NOTHING_UNFINISHED);
    assertThat(f.queue.stats().total()).isZero();
  }

  ItemCompleted completed(WorkItem item) {
    return new ItemCompleted(
        UUID.randomUUID().toString(),
        item.jobId(),
        item.itemId(),
        item.range(),
        new PartRef(item.partPath(), 1, item.range()),
        null,
        Attempts.NONE,
        "w1",
        SPOT,
        f.clock.instant().minusSeconds(5),
        f.clock.instant());
  }

  ItemFailed failed(WorkItem item) {
    return new ItemFailed(
        UUID.randomUUID().toString(),
        item.jobId(),
        item.itemId(),
        item.range(),
        "model crashed",
        new Attempts(1, 0),
        false,
        "w1",
        SPOT,
        f.clock.instant().minusSeconds(5),
        f.clock.instant(),
        null);
  }
}
