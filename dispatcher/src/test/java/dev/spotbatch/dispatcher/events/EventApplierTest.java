package dev.spotbatch.dispatcher.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.dispatcher.Fixture;
import dev.spotbatch.dispatcher.job.FailureRow;
import dev.spotbatch.dispatcher.job.ItemCounts;
import dev.spotbatch.dispatcher.job.Job;
import dev.spotbatch.dispatcher.job.JobStatus;
import dev.spotbatch.dispatcher.job.RecordCounts;
import dev.spotbatch.event.FailureCause;
import dev.spotbatch.event.ItemCompleted;
import dev.spotbatch.event.ItemFailed;
import dev.spotbatch.event.PartRef;
import dev.spotbatch.event.WorkerEvent;
import dev.spotbatch.model.Attempts;
import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.Lifecycle;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.queue.Lease;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventApplierTest {
  static final InstanceFacts SPOT =
      new InstanceFacts("aws", "i-1", "m5.large", "us-east-1", "us-east-1a", Lifecycle.SPOT);

  @TempDir Path dir;
  Fixture f;
  Job job;
  List<WorkItem> items;

  @BeforeEach
  void setUp() throws Exception {
    f = new Fixture(dir);
    Files.createDirectories(dir.resolve("in"));
    Files.write(dir.resolve("in/docs.jsonl"), new byte[3000]);
    job = f.service.submit(f.submission("in/docs.jsonl", 1024, 3));
    items =
        f.queue.lease(100, Duration.ZERO, Duration.ofMinutes(1)).stream().map(Lease::item).toList();
    assertThat(items).hasSize(3);
  }

  ItemCompleted completed(WorkItem item, long records, long errors) {
    Instant at = f.clock.instant();
    return new ItemCompleted(
        UUID.randomUUID().toString(),
        item.jobId(),
        item.itemId(),
        item.range(),
        new PartRef(item.partPath(), records, item.range()),
        errors == 0 ? null : new PartRef(item.errorPartPath(), errors, item.range()),
        Attempts.NONE,
        "w1",
        SPOT,
        at.minusSeconds(3600),
        at);
  }

  ItemFailed failed(WorkItem item, int failures, boolean terminal) {
    return failed(item, failures, terminal, "model crashed on record 7", null);
  }

  ItemFailed failed(
      WorkItem item, int failures, boolean terminal, String reason, FailureCause cause) {
    return new ItemFailed(
        UUID.randomUUID().toString(),
        item.jobId(),
        item.itemId(),
        item.range(),
        reason,
        new Attempts(failures, 0),
        terminal,
        "w1",
        SPOT,
        f.clock.instant().minusSeconds(10),
        f.clock.instant(),
        cause);
  }

  void apply(WorkerEvent... events) {
    f.applier.applyAll(List.of(events));
  }

  @Test
  void aDuplicateItemCompletedIsCountedOnce() {
    ItemCompleted e = completed(items.get(0), 5, 1);
    apply(e);
    apply(e); // same event id, redelivered
    apply(completed(items.get(0), 5, 1)); // another worker's copy of the same item

    assertThat(f.jobs.items().itemCounts(job.id())).isEqualTo(new ItemCounts(3, 2, 0, 1, 0));
    assertThat(f.jobs.items().recordCounts(job.id())).isEqualTo(new RecordCounts(5, 1));
    assertThat(f.jobs.items().parts(job.id())).hasSize(2);
    assertThat(f.jobs.usage().usage(job.id())).hasSize(2); // both distinct events ran on a machine
  }

  @Test
  void aLateEventAfterTheItemIsFinalChangesNothing() {
    apply(completed(items.get(0), 5, 0));
    apply(failed(items.get(0), 3, true));

    assertThat(f.jobs.items().itemCounts(job.id()).succeeded()).isEqualTo(1);
    assertThat(f.jobs.items().itemCounts(job.id()).failed()).isZero();
    assertThat(f.jobs.items().findItem(items.get(0).itemId()).orElseThrow().lastError()).isNull();
  }

  @Test
  void aNonTerminalFailureIsVisibleAndLeavesTheItemPending() {
    apply(failed(items.get(1), 1, false));

    assertThat(f.jobs.items().itemCounts(job.id())).isEqualTo(new ItemCounts(3, 3, 0, 0, 0));
    assertThat(f.service.failures(job.id()))
        .extracting(FailureRow::itemId, FailureRow::terminal)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(items.get(1).itemId(), false));
    assertThat(f.jobs.findJob(job.id()).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
  }

  @Test
  void allItemsDoneWritesAManifestOfExactlyTheCommittedPartsAndSucceeds() throws Exception {
    apply(completed(items.get(2), 7, 0), completed(items.get(0), 5, 2));
    assertThat(f.jobs.findJob(job.id()).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
    assertThat(dir.resolve("out/_SUCCESS")).doesNotExist();

    apply(completed(items.get(1), 6, 0));

    Job done = f.jobs.findJob(job.id()).orElseThrow();
    assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(done.finishedAt()).isEqualTo(f.clock.instant());
    assertThat(done.manifestUri()).isEqualTo(f.uri("out/_SUCCESS").toString());
    String m = Files.readString(dir.resolve("out/_SUCCESS"));
    assertThat(m)
        .contains("\"jobId\" : \"" + job.id() + "\"")
        .contains("\"path\" : \"" + items.get(0).partPath() + "\"")
        .contains("\"path\" : \"" + items.get(1).partPath() + "\"")
        .contains("\"path\" : \"" + items.get(2).partPath() + "\"")
        .contains("\"path\" : \"" + items.get(0).errorPartPath() + "\"")
        .contains("\"succeeded\" : 18")
        .contains("\"failed\" : 2")
        .contains("\"savingsPct\" : 65.0");
    // sorted: part-000000 before part-000001 before part-000002
    assertThat(m.indexOf(items.get(0).partPath())).isLessThan(m.indexOf(items.get(1).partPath()));
    assertThat(m.indexOf(items.get(1).partPath())).isLessThan(m.indexOf(items.get(2).partPath()));
    // the three items ran side by side in the same hour on one machine: they share that hour
    assertThat(f.service.get(job.id()).cost().usd())
        .isEqualTo(0.0336, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(f.service.get(job.id()).cost().machineHours())
        .isEqualTo(1.0, org.assertj.core.api.Assertions.within(1e-9));
  }

  @Test
  void aTerminalFailureEndsTheJobFailedWithTheFailuresListed() throws Exception {
    apply(completed(items.get(0), 5, 0), failed(items.get(1), 1, false));
    apply(failed(items.get(1), 3, true));
    assertThat(f.jobs.findJob(job.id()).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);

    apply(completed(items.get(2), 4, 0));

    Job done = f.jobs.findJob(job.id()).orElseThrow();
    assertThat(done.status()).isEqualTo(JobStatus.FAILED);
    assertThat(done.reason()).contains("1 of 3 items failed");
    assertThat(done.manifestUri()).isEqualTo(f.uri("out/_FAILED").toString());
    assertThat(dir.resolve("out/_SUCCESS")).doesNotExist();
    String m = Files.readString(dir.resolve("out/_FAILED"));
    assertThat(m)
        .contains(items.get(0).partPath())
        .contains(items.get(2).partPath())
        .contains("\"itemId\" : \"" + items.get(1).itemId() + "\"")
        .contains("model crashed on record 7");
    assertThat(f.service.failures(job.id())).hasSize(2);
  }

  @Test
  void aModelThatCannotRunFailsTheJobAtItsFirstItemAndARetryRerunsEveryItem() throws Exception {
    String reason = "model at file:///m/ cannot run: model m takes inputs [pixel_values]";
    apply(completed(items.get(0), 5, 0));

    apply(failed(items.get(1), 1, true, reason, FailureCause.MODEL_UNUSABLE));

    // at once: the third item is neither waited for nor run
    Job done = f.jobs.findJob(job.id()).orElseThrow();
    assertThat(done.status()).isEqualTo(JobStatus.FAILED);
    assertThat(done.reason())
        .startsWith("MODEL_UNUSABLE: " + reason)
        .contains("failed at item " + items.get(1).itemId())
        .contains("1 unfinished items were not run");
    assertThat(done.manifestUri()).isEqualTo(f.uri("out/_FAILED").toString());
    assertThat(f.jobs.items().itemCounts(job.id())).isEqualTo(new ItemCounts(3, 0, 0, 1, 2));
    assertThat(f.jobs.items().findItem(items.get(2).itemId()).orElseThrow().lastError())
        .startsWith("not run: item " + items.get(1).itemId() + " found MODEL_UNUSABLE");
    String m = Files.readString(dir.resolve("out/_FAILED"));
    assertThat(m)
        .contains("\"cause\" : \"MODEL_UNUSABLE\"")
        .contains("\"reason\" : \"" + reason + "\"")
        .contains("\"itemId\" : \"" + items.get(2).itemId() + "\"")
        .contains(items.get(0).partPath());
    assertThat(dir.resolve("out/_SUCCESS")).doesNotExist();

    // another worker refuses the third item the same way, or finishes it late: nothing changes
    apply(
        failed(items.get(2), 1, true, reason, FailureCause.MODEL_UNUSABLE),
        completed(items.get(2), 4, 0));
    assertThat(f.jobs.findJob(job.id()).orElseThrow().reason()).isEqualTo(done.reason());
    assertThat(f.jobs.items().itemCounts(job.id())).isEqualTo(new ItemCounts(3, 0, 0, 1, 2));

    // once the model is fixed, a retry runs both unfinished items again
    f.service.retry(job.id());
    List<WorkItem> again =
        f.queue.lease(100, Duration.ZERO, Duration.ofMinutes(1)).stream().map(Lease::item).toList();
    assertThat(again)
        .extracting(WorkItem::itemId)
        .containsExactlyInAnyOrder(items.get(1).itemId(), items.get(2).itemId());
    apply(completed(again.get(0), 1, 0), completed(again.get(1), 1, 0));
    assertThat(f.jobs.findJob(job.id()).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
  }

  @Test
  void aModelFailureThatIsNotFinalLeavesTheJobRunning() {
    apply(failed(items.get(1), 1, false, "model crashed", FailureCause.MODEL_UNUSABLE));

    assertThat(f.jobs.findJob(job.id()).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
    assertThat(f.jobs.items().itemCounts(job.id())).isEqualTo(new ItemCounts(3, 3, 0, 0, 0));
  }

  @Test
  void retryReenqueuesTheFailedItemsWithAFreshBudgetAndTheJobCanThenSucceed() throws Exception {
    apply(
        completed(items.get(0), 1, 0),
        completed(items.get(2), 1, 0),
        failed(items.get(1), 3, true));
    assertThat(f.jobs.findJob(job.id()).orElseThrow().status()).isEqualTo(JobStatus.FAILED);

    Job retried = f.service.retry(job.id());

    assertThat(retried.status()).isEqualTo(JobStatus.RUNNING);
    assertThat(dir.resolve("out/_FAILED")).doesNotExist();
    List<WorkItem> again =
        f.queue.lease(100, Duration.ZERO, Duration.ofMinutes(1)).stream().map(Lease::item).toList();
    assertThat(again).extracting(WorkItem::itemId).containsExactly(items.get(1).itemId());
    assertThat(again.get(0).attempts()).isEqualTo(Attempts.NONE);

    apply(completed(again.get(0), 1, 0));
    assertThat(f.jobs.findJob(job.id()).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
  }

  @Test
  void eventsForACancelledJobAreRecordedButDoNotReviveIt() {
    f.service.cancel(job.id());
    apply(
        completed(items.get(0), 1, 0),
        completed(items.get(1), 1, 0),
        completed(items.get(2), 1, 0));

    Job after = f.jobs.findJob(job.id()).orElseThrow();
    assertThat(after.status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(after.manifestUri()).isNull();
    // the items stay cancelled (the work was not wanted); its machine time is still recorded
    assertThat(f.jobs.items().itemCounts(job.id())).isEqualTo(new ItemCounts(3, 0, 0, 0, 0, 3));
    assertThat(f.jobs.usage().usage(job.id())).hasSize(3);
    assertThat(dir.resolve("out/_SUCCESS")).doesNotExist();
  }

  @Test
  void anEventForAnUnknownItemIsIgnored() {
    WorkItem ghost = items.get(0);
    ItemCompleted e =
        new ItemCompleted(
            "e1",
            "other-job",
            "other-job-000000",
            ghost.range(),
            new PartRef("part-x", 1, ghost.range()),
            null,
            Attempts.NONE,
            "w1",
            SPOT,
            null,
            f.clock.instant());
    assertThat(f.applier.apply(e)).isEqualTo(Outcome.IGNORED);
  }
}
