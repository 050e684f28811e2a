package dev.spotbatch.dispatcher.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.dispatcher.Fixture;
import dev.spotbatch.dispatcher.job.ItemCounts;
import dev.spotbatch.dispatcher.job.Job;
import dev.spotbatch.dispatcher.job.JobStatus;
import dev.spotbatch.event.ItemCheckpointed;
import dev.spotbatch.event.ItemCompleted;
import dev.spotbatch.event.ItemFailed;
import dev.spotbatch.event.ItemReleased;
import dev.spotbatch.event.ItemStarted;
import dev.spotbatch.event.PartRef;
import dev.spotbatch.event.WorkerEvent;
import dev.spotbatch.model.Attempts;
import dev.spotbatch.model.ByteRange;
import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.queue.Lease;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Items are running from a worker's {@code ItemStarted} until an event ends or releases them, in
 * whatever order the events arrive; a cancel moves every unfinished item to cancelled.
 */
class ItemProgressEventsTest {
  static final InstanceFacts W1 = InstanceFacts.local("w1");

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

  @Test
  void anItemRunsFromItsStartUntilItCompletes() {
    apply(started(items.get(0), Attempts.NONE));
    apply(started(items.get(1), Attempts.NONE));

    assertThat(counts()).isEqualTo(new ItemCounts(3, 1, 2, 0, 0));

    apply(completed(items.get(0)));

    assertThat(counts()).isEqualTo(new ItemCounts(3, 1, 1, 1, 0));
  }

  @Test
  void aFailureOrAReleaseMakesARunningItemPendingAgain() {
    apply(started(items.get(0), Attempts.NONE), started(items.get(1), Attempts.NONE));

    apply(failed(items.get(0), new Attempts(1, 0)));
    apply(released(items.get(1), Attempts.NONE));

    assertThat(counts()).isEqualTo(new ItemCounts(3, 3, 0, 0, 0));
  }

  @Test
  void aCheckpointMakesARunningItemPendingUntilItsContinuationStarts() {
    apply(started(items.get(0), Attempts.NONE));
    apply(checkpointed(items.get(0), Attempts.NONE));
    assertThat(counts().running()).isZero();

    apply(started(items.get(0), new Attempts(0, 1))); // the continuation

    assertThat(counts().running()).isEqualTo(1);
  }

  @Test
  void lateEventsOfAnEarlierLeaseDoNotMoveTheItemBack() {
    // a start that arrives after the failure of the same attempt
    apply(failed(items.get(0), new Attempts(1, 0)));
    apply(started(items.get(0), Attempts.NONE));
    // a release that arrives after the continuation started
    apply(started(items.get(1), new Attempts(0, 1)));
    apply(released(items.get(1), Attempts.NONE));
    // a start after the item completed
    apply(completed(items.get(2)));
    apply(started(items.get(2), Attempts.NONE));

    assertThat(counts()).isEqualTo(new ItemCounts(3, 1, 1, 1, 0));
  }

  @Test
  void aCancelCountsEveryUnfinishedItemAsCancelledAndLateEventsChangeNothing() {
    apply(completed(items.get(0)), started(items.get(1), Attempts.NONE));

    f.service.cancel(job.id());

    assertThat(f.jobs.findJob(job.id()).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(counts()).isEqualTo(new ItemCounts(3, 0, 0, 1, 0, 2));
    assertThat(dir.resolve("out/_CANCELLED")).exists();

    apply(completed(items.get(1)), started(items.get(2), Attempts.NONE));

    assertThat(counts()).isEqualTo(new ItemCounts(3, 0, 0, 1, 0, 2));
    assertThat(f.jobs.findJob(job.id()).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(dir.resolve("out/_SUCCESS")).doesNotExist();
  }

  private ItemCounts counts() {
    return f.jobs.items().itemCounts(job.id());
  }

  private void apply(WorkerEvent... events) {
    f.applier.applyAll(List.of(events));
  }

  private ItemStarted started(WorkItem item, Attempts attempts) {
    return new ItemStarted(
        id(), item.jobId(), item.itemId(), item.range(), attempts, "w1", W1, now(), now());
  }

  private ItemReleased released(WorkItem item, Attempts attempts) {
    return new ItemReleased(
        id(),
        item.jobId(),
        item.itemId(),
        item.range(),
        attempts,
        ItemReleased.ReleaseReason.HANDED_BACK,
        "w1",
        W1,
        now(),
        now());
  }

  private ItemCompleted completed(WorkItem item) {
    return new ItemCompleted(
        id(),
        item.jobId(),
        item.itemId(),
        item.range(),
        new PartRef(item.partPath(), 1, item.range()),
        null,
        Attempts.NONE,
        "w1",
        W1,
        now(),
        now());
  }

  private ItemFailed failed(WorkItem item, Attempts attempts) {
    return new ItemFailed(
        id(),
        item.jobId(),
        item.itemId(),
        item.range(),
        "boom",
        attempts,
        false,
        "w1",
        W1,
        now(),
        now(),
        null);
  }

  private ItemCheckpointed checkpointed(WorkItem item, Attempts attempts) {
    long mid = item.range().start() + 10;
    return new ItemCheckpointed(
        id(),
        item.jobId(),
        item.itemId(),
        new PartRef(item.partPath(mid), 1, new ByteRange(item.range().start(), mid)),
        null,
        new ByteRange(mid, item.range().end()),
        attempts,
        "w1",
        W1,
        now(),
        now());
  }

  private java.time.Instant now() {
    return f.clock.instant();
  }

  private static String id() {
    return UUID.randomUUID().toString();
  }
}
