package dev.spotbatch.dispatcher.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotbatch.dispatcher.Fixture;
import dev.spotbatch.dispatcher.job.ItemRow;
import dev.spotbatch.dispatcher.job.ItemStatus;
import dev.spotbatch.dispatcher.job.Job;
import dev.spotbatch.dispatcher.job.JobStatus;
import dev.spotbatch.dispatcher.job.PartRow;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batches of worker events are applied as if one at a time, whatever the batch boundaries, the
 * duplicates inside a batch, whole batches delivered again, or the order the events arrive in. Run
 * on H2 and on PostgreSQL.
 */
abstract class EventBatchContract {
  static final InstanceFacts W1 = InstanceFacts.local("w1");

  @TempDir Path dir;
  Fixture f;

  /** A fresh, migrated database for one test. */
  abstract DataSource dataSource() throws Exception;

  @BeforeEach
  void setUp() throws Exception {
    f = new Fixture(dir, dataSource());
    Files.createDirectories(dir.resolve("in"));
    Files.write(dir.resolve("in/docs.jsonl"), new byte[3000]);
  }

  @Test
  void aWholeHistoryInOneBatchEndsAsItDoesOneEventAtATime() {
    Job one = submit();
    List<WorkItem> oneItems = items(one);
    for (WorkerEvent e : history(oneItems)) {
      f.applier.applyAll(List.of(e));
    }
    Job batched = submit();
    List<WorkItem> batchedItems = items(batched);
    List<Outcome> outcomes = f.applier.applyAll(history(batchedItems));

    assertThat(outcomes).containsOnly(Outcome.APPLIED);
    assertDone(one, oneItems);
    assertDone(batched, batchedItems);
  }

  @Test
  void aBatchDeliveredAgainChangesNothingTheSecondTime() {
    Job job = submit();
    List<WorkItem> items = items(job);
    List<WorkerEvent> history = history(items);
    for (int from = 0; from < history.size(); from += 3) {
      List<WorkerEvent> batch = history.subList(from, Math.min(history.size(), from + 3));
      f.applier.applyAll(batch);
      // the acknowledgement was lost: the queue delivers the same batch again
      assertThat(f.applier.applyAll(batch)).containsOnly(Outcome.DUPLICATE);
    }
    assertDone(job, items);
  }

  @Test
  void anEventTwiceInOneBatchCountsOnce() {
    Job job = submit();
    List<WorkItem> items = items(job);
    List<WorkerEvent> twice = new ArrayList<>();
    for (WorkerEvent e : history(items)) {
      twice.add(e);
      twice.add(e);
    }
    List<Outcome> outcomes = f.applier.applyAll(twice);

    for (int i = 0; i < outcomes.size(); i += 2) {
      assertThat(outcomes.get(i)).isEqualTo(Outcome.APPLIED);
      assertThat(outcomes.get(i + 1)).isEqualTo(Outcome.DUPLICATE);
    }
    assertDone(job, items);
  }

  @Test
  void eventsInAnyOrderAndAnyBatchesWithRedeliveriesEndInTheSameState() {
    for (long seed = 1; seed <= 4; seed++) {
      Random random = new Random(seed);
      Job job = submit();
      List<WorkItem> items = items(job);
      List<WorkerEvent> stream = new ArrayList<>(history(items));
      Collections.shuffle(stream, random);
      for (int i = 0; i < 4; i++) { // at-least-once: some events come again, later
        int original = random.nextInt(stream.size());
        stream.add(original + random.nextInt(stream.size() - original) + 1, stream.get(original));
      }
      int from = 0;
      while (from < stream.size()) {
        int to = Math.min(stream.size(), from + 1 + random.nextInt(5));
        List<WorkerEvent> batch = stream.subList(from, to);
        f.applier.applyAll(batch);
        if (random.nextInt(3) == 0) {
          f.applier.applyAll(batch); // redelivered whole
        }
        from = to;
      }
      assertDone(job, items);
    }
  }

  @Test
  void anItemMovedByAnotherWriterAfterTheReadFailsTheWriteInsteadOfOverwritingIt() {
    Job job = submit();
    WorkItem item = items(job).get(0);
    EventRows rows = new EventRows(f.db);
    ItemState read = rows.items(List.of(item.itemId())).get(item.itemId());
    PendingWrites w =
        new PendingWrites(new HashSet<>(), Map.of(item.itemId(), read), new HashSet<>());
    assertThat(read.complete(Attempts.NONE, f.clock.instant())).isTrue();

    f.service.cancel(job.id()); // between this batch's read and its write

    assertThatThrownBy(() -> rows.write(w))
        .isInstanceOf(EventRows.ConcurrentItemChangeException.class)
        .hasMessageContaining(item.itemId());
    assertThat(f.jobs.items().findItem(item.itemId()).orElseThrow().status())
        .isEqualTo(ItemStatus.CANCELLED);
  }

  private Job submit() {
    return f.service.submit(f.submission("in/docs.jsonl", 1024, 3));
  }

  private List<WorkItem> items(Job job) {
    List<WorkItem> items =
        f.queue.lease(100, Duration.ZERO, Duration.ofMinutes(1)).stream()
            .map(Lease::item)
            .filter(i -> i.jobId().equals(job.id()))
            .sorted(Comparator.comparing(WorkItem::itemId))
            .toList();
    assertThat(items).hasSize(3);
    return items;
  }

  /**
   * What three workers report: item 0 is checkpointed at byte 400 and its continuation completes;
   * item 1 fails once and succeeds on its second attempt; item 2 is handed back, started again and
   * completes.
   */
  private List<WorkerEvent> history(List<WorkItem> items) {
    WorkItem a = items.get(0);
    WorkItem rest = a.continueFrom(400);
    WorkItem b = items.get(1);
    WorkItem again = b.afterFailure();
    WorkItem c = items.get(2);
    return List.of(
        started(a),
        started(b),
        started(c),
        new ItemCheckpointed(
            id(),
            a.jobId(),
            a.itemId(),
            new PartRef(a.partPath(400), 4, new ByteRange(a.range().start(), 400)),
            null,
            rest.range(),
            a.attempts(),
            "w1",
            W1,
            now(),
            now()),
        new ItemFailed(
            id(),
            b.jobId(),
            b.itemId(),
            b.range(),
            "boom",
            new Attempts(1, 0),
            false,
            "w1",
            W1,
            now(),
            now(),
            null),
        new ItemReleased(
            id(),
            c.jobId(),
            c.itemId(),
            c.range(),
            c.attempts(),
            ItemReleased.ReleaseReason.HANDED_BACK,
            "w1",
            W1,
            now(),
            now()),
        started(rest),
        started(again),
        started(c),
        completed(rest, 6),
        completed(again, 10),
        completed(c, 10));
  }

  private void assertDone(Job job, List<WorkItem> planned) {
    assertThat(f.jobs.findJob(job.id()).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
    List<ItemRow> items = f.jobs.items().inJob(job.id());
    assertThat(items).extracting(ItemRow::status).containsOnly(ItemStatus.SUCCEEDED);
    assertThat(items).extracting(ItemRow::interruptions).containsExactly(1, 0, 0);
    assertThat(items).extracting(ItemRow::failures).containsExactly(0, 1, 0);
    assertThat(f.jobs.items().parts(job.id()))
        .extracting(PartRow::path)
        .containsExactlyInAnyOrder(
            planned.get(0).partPath(400),
            planned.get(0).continueFrom(400).partPath(),
            planned.get(1).partPath(),
            planned.get(2).partPath());
    assertThat(f.jobs.items().recordCounts(job.id()).succeeded()).isEqualTo(4 + 6 + 10 + 10);
    assertThat(f.jobs.usage().usage(job.id())).hasSize(12); // one row per distinct event
    assertThat(f.jobs.items().failures(job.id())).hasSize(1);
  }

  private ItemStarted started(WorkItem item) {
    return new ItemStarted(
        id(), item.jobId(), item.itemId(), item.range(), item.attempts(), "w1", W1, now(), now());
  }

  private ItemCompleted completed(WorkItem item, long records) {
    return new ItemCompleted(
        id(),
        item.jobId(),
        item.itemId(),
        item.range(),
        new PartRef(item.partPath(), records, item.range()),
        null,
        item.attempts(),
        "w1",
        W1,
        now(),
        now());
  }

  private Instant now() {
    return f.clock.instant();
  }

  private static String id() {
    return UUID.randomUUID().toString();
  }
}
