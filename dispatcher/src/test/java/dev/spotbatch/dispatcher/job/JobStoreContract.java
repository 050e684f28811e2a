package dev.spotbatch.dispatcher.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.event.PartRef;
import dev.spotbatch.model.Attempts;
import dev.spotbatch.model.ByteRange;
import dev.spotbatch.model.InputFormat;
import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.OutputFormat;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.task.ChunkOptions;
import dev.spotbatch.task.CleanOptions;
import dev.spotbatch.task.ModelRef;
import dev.spotbatch.task.ScoreOptions;
import dev.spotbatch.task.TaskSpec;
import dev.spotbatch.task.TaskType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The job store's behaviour, run against each database (H2, PostgreSQL). */
abstract class JobStoreContract {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  JobStore store;
  String prefix;

  /** A migrated database; may be shared between tests (ids are unique per test). */
  abstract DataSource dataSource();

  @BeforeEach
  void setUpStore() {
    store = new JobStore(dataSource());
    prefix = UUID.randomUUID().toString().substring(0, 8);
  }

  Job job(String id, Instant created) {
    return new Job(
        prefix + id,
        "name",
        JobStatus.PENDING,
        "all-minilm-l6-v2",
        "file:///data/in.jsonl",
        "jsonl",
        null,
        null,
        "file:///data/out/",
        1024,
        3,
        null,
        null,
        created,
        null,
        null,
        null,
        0,
        OutputFormat.JSONL);
  }

  WorkItem item(Job job, int index) {
    return new WorkItem(
        job.id(),
        WorkItems.itemId(job.id(), index),
        index,
        job.model(),
        job.inputUri(),
        "in.jsonl",
        new ByteRange(index * 100L, index * 100L + 100),
        InputFormat.JSONL,
        "text",
        "id",
        job.outputUri(),
        Attempts.NONE,
        3);
  }

  @Test
  void storesAndReadsBackAJobWithItsTimestamps() {
    Job j = job("a", T0.plusMillis(123));
    store.insertJob(j);
    Job read = store.findJob(j.id()).orElseThrow();
    assertThat(read).isEqualTo(j);
    assertThat(read.textField()).isEqualTo("text");
    assertThat(store.findJob("missing")).isEmpty();
  }

  @Test
  void storesAJobsOutputFormatAndReadsJsonLinesForJobsWithoutOne() {
    Job plain = job("jsonl", T0);
    Job j = job("npy", T0);
    Job npy =
        new Job(
            j.id(),
            j.name(),
            j.status(),
            j.model(),
            j.inputUri(),
            j.inputFormat(),
            j.textField(),
            j.idField(),
            j.outputUri(),
            j.itemBytes(),
            j.maxAttempts(),
            j.reason(),
            j.manifestUri(),
            j.createdAt(),
            j.startedAt(),
            j.finishedAt(),
            j.deadline(),
            j.priority(),
            OutputFormat.NPY);
    store.insertJob(plain);
    store.insertJob(npy);

    assertThat(store.findJob(npy.id()).orElseThrow().outputFormat()).isEqualTo(OutputFormat.NPY);
    assertThat(store.findJob(plain.id()).orElseThrow().outputFormat())
        .isEqualTo(OutputFormat.JSONL);
    assertThat(WorkItems.of(npy, null, 0, "file:///data/in.jsonl", "in.jsonl", new ByteRange(0, 9)))
        .extracting(WorkItem::outputFormat)
        .isEqualTo(OutputFormat.NPY);
  }

  @Test
  void storesAJobsTasksWithItAndReadsThemBack() {
    Job plain = job("plain", T0);
    store.insertJob(plain);
    Job chained = job("chained", T0);
    TaskSpec spec =
        new TaskSpec(
            List.of(TaskType.CLEAN, TaskType.CHUNK, TaskType.SIMILARITY),
            new ModelRef("e5", "s3://models/e5/", "sha256:" + "ab".repeat(32), "passage"),
            new ChunkOptions(200, 20, "model"),
            CleanOptions.defaults(),
            null,
            new ScoreOptions(2, null, java.util.Map.of("q1", "\u00e9t\u00e9 " + "x".repeat(5000))),
            null);

    store.insertJob(chained, spec);

    assertThat(store.findJob(chained.id())).contains(chained);
    assertThat(store.taskSpec(chained.id())).contains(spec);
    assertThat(store.taskSpec(plain.id())).isEmpty();
  }

  @Test
  void listsNewestFirstAndFiltersByStatus() {
    Job older = job("old", T0);
    Job newer = job("new", T0.plus(1, ChronoUnit.HOURS));
    store.insertJob(older);
    store.insertJob(newer);
    store.markStarted(newer.id(), T0.plus(2, ChronoUnit.HOURS));

    List<Job> all = store.listJobs(null, 1000);
    List<String> mine = all.stream().map(Job::id).filter(id -> id.startsWith(prefix)).toList();
    assertThat(mine).containsExactly(newer.id(), older.id());
    assertThat(store.listJobs(JobStatus.RUNNING, 1000))
        .extracting(Job::id)
        .contains(newer.id())
        .doesNotContain(older.id());
    assertThat(store.listJobs(null, 1)).hasSize(1);
  }

  @Test
  void statusChangesHappenOnceAndNeverLeaveAFinalState() {
    Job j = job("s", T0);
    store.insertJob(j);
    assertThat(store.markStarted(j.id(), T0.plusSeconds(1))).isTrue();
    assertThat(store.markStarted(j.id(), T0.plusSeconds(2))).isFalse();
    assertThat(
            store.finish(
                j.id(), JobStatus.SUCCEEDED, null, "file:///data/out/_SUCCESS", T0.plusSeconds(3)))
        .isTrue();
    assertThat(store.finish(j.id(), JobStatus.CANCELLED, "late", null, T0.plusSeconds(4)))
        .isFalse();
    Job read = store.findJob(j.id()).orElseThrow();
    assertThat(read.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(read.startedAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(read.finishedAt()).isEqualTo(T0.plusSeconds(3));
    assertThat(read.manifestUri()).isEqualTo("file:///data/out/_SUCCESS");
  }

  @Test
  void itemsMoveToAFinalStateOnceAndAreCounted() {
    Job j = job("i", T0);
    store.insertJob(j);
    store.items().insertItems(List.of(item(j, 0), item(j, 1), item(j, 2)), T0);
    assertThat(store.items().itemCounts(j.id())).isEqualTo(new ItemCounts(3, 3, 0, 0, 0));

    assertThat(store.items().completeItem(item(j, 0).itemId(), 0, 1, T0)).isTrue();
    assertThat(store.items().completeItem(item(j, 0).itemId(), 0, 1, T0)).isFalse();
    assertThat(store.items().failItem(item(j, 1).itemId(), "bad", 1, false, T0)).isTrue();
    assertThat(store.items().failItem(item(j, 1).itemId(), "bad", 3, true, T0)).isTrue();
    assertThat(store.items().failItem(item(j, 0).itemId(), "late", 3, true, T0)).isFalse();

    // succeeded without parts that tile its range: not done yet
    assertThat(store.items().itemCounts(j.id())).isEqualTo(new ItemCounts(3, 1, 1, 0, 1));
    ByteRange first = store.items().findItem(item(j, 0).itemId()).orElseThrow().range();
    store
        .items()
        .insertPart(j.id(), item(j, 0).itemId(), PartKind.DATA, new PartRef("part-0", 5, first));
    assertThat(store.items().itemCounts(j.id())).isEqualTo(new ItemCounts(3, 1, 0, 1, 1));
    ItemRow failed = store.items().findItem(item(j, 1).itemId()).orElseThrow();
    assertThat(failed.status()).isEqualTo(ItemStatus.FAILED);
    assertThat(failed.lastError()).isEqualTo("bad");
    assertThat(failed.range()).isEqualTo(new ByteRange(100, 200));

    assertThat(store.items().resetFailedItems(j.id(), T0))
        .extracting(ItemRow::itemId)
        .containsExactly(failed.itemId());
    assertThat(store.items().findItem(failed.itemId()).orElseThrow().failures()).isZero();
    assertThat(store.items().itemCounts(j.id())).isEqualTo(new ItemCounts(3, 2, 0, 1, 0));
  }

  @Test
  void aStreamedPlanIsStoredInBatchesAndReadBackInPages() {
    Job j = job("p", T0);
    Job other = job("q", T0);
    store.insertJob(j);
    store.insertJob(other);
    store.items().insertItems(List.of(item(other, 0)), T0);
    assertThat(store.items().hasItems(j.id())).isFalse();

    int stored =
        store
            .items()
            .insertItems(
                sink -> {
                  for (int i = 0; i < ItemStore.PLAN_BATCH + 7; i++) {
                    sink.accept(item(j, i));
                  }
                },
                T0);

    assertThat(stored).isEqualTo(ItemStore.PLAN_BATCH + 7);
    assertThat(store.items().hasItems(j.id())).isTrue();
    List<Integer> walked = new java.util.ArrayList<>();
    for (int from = 0; ; from += 400) {
      List<ItemRow> page = store.items().itemsByIndex(j.id(), from, 400);
      assertThat(page).allMatch(r -> r.jobId().equals(j.id()));
      page.forEach(r -> walked.add(r.index()));
      if (page.size() < 400) {
        break;
      }
    }
    assertThat(walked).hasSize(ItemStore.PLAN_BATCH + 7).isSorted().doesNotHaveDuplicates();
    assertThat(walked.get(walked.size() - 1)).isEqualTo(ItemStore.PLAN_BATCH + 6);
    assertThat(store.items().itemsByIndex(other.id(), 0, 400)).hasSize(1);
  }

  @Test
  void aPlanThatFailsWhileStreamingStoresNothing() {
    Job j = job("f", T0);
    store.insertJob(j);

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                store
                    .items()
                    .insertItems(
                        sink -> {
                          for (int i = 0; i < ItemStore.PLAN_BATCH + 1; i++) {
                            sink.accept(item(j, i));
                          }
                          throw new InputProblem("listing failed half way");
                        },
                        T0))
        .isInstanceOf(InputProblem.class);
    assertThat(store.items().hasItems(j.id())).isFalse();
  }

  @Test
  void theOldestUnfinishedItemIsTheBacklogsAge() {
    // other tests share the database and leave items pending at T0: stay older than them
    Instant early = T0.minusSeconds(86_400);
    Job a = job("ja", early);
    Job b = job("jb", early);
    store.insertJob(a);
    store.insertJob(b);
    store.items().insertItems(List.of(item(a, 0)), early);
    store.items().insertItems(List.of(item(b, 0)), early.plusSeconds(60));

    assertThat(store.items().oldestUnfinishedItemSince()).contains(early);

    store.items().completeItem(item(a, 0).itemId(), 0, 0, T0);
    assertThat(store.items().oldestUnfinishedItemSince()).contains(early.plusSeconds(60));

    store.items().completeItem(item(b, 0).itemId(), 0, 0, T0);
    assertThat(store.items().oldestUnfinishedItemSince().orElse(T0)).isAfterOrEqualTo(T0);
  }

  @Test
  void aPartPathIsRecordedOncePerJobAndPartsComeBackSorted() {
    Job j = job("p", T0);
    store.insertJob(j);
    ByteRange r = new ByteRange(0, 10);
    assertThat(
            store.items().insertPart(j.id(), "i1", PartKind.DATA, new PartRef("part-000001", 4, r)))
        .isTrue();
    assertThat(
            store.items().insertPart(j.id(), "i0", PartKind.DATA, new PartRef("part-000000", 3, r)))
        .isTrue();
    assertThat(
            store.items().insertPart(j.id(), "i0", PartKind.DATA, new PartRef("part-000000", 3, r)))
        .isFalse();
    assertThat(
            store
                .items()
                .insertPart(j.id(), "i0", PartKind.ERROR, new PartRef("_errors/e-000000", 2, r)))
        .isTrue();

    assertThat(store.items().parts(j.id()))
        .extracting(PartRow::path)
        .containsExactly("_errors/e-000000", "part-000000", "part-000001");
    assertThat(store.items().recordCounts(j.id()))
        .isEqualTo(new RecordCounts(0, 0)); // no succeeded items
  }

  @Test
  void recordsAreCountedFromThePartsThatTileEachSucceededItem() {
    Job j = job("t", T0);
    store.insertJob(j);
    store.items().insertItems(List.of(item(j, 0), item(j, 1)), T0);
    String i0 = item(j, 0).itemId();
    String i1 = item(j, 1).itemId();
    ByteRange r0 = store.items().findItem(i0).orElseThrow().range();
    ByteRange r1 = store.items().findItem(i1).orElseThrow().range();
    long x = r0.start() + 40;
    store
        .items()
        .insertPart(
            j.id(), i0, PartKind.DATA, new PartRef("part-a", 4, new ByteRange(r0.start(), x)));
    store
        .items()
        .insertPart(
            j.id(), i0, PartKind.ERROR, new PartRef("_errors/a", 1, new ByteRange(r0.start(), x)));
    store
        .items()
        .insertPart(
            j.id(), i0, PartKind.DATA, new PartRef("part-b", 6, new ByteRange(x, r0.end())));
    store.items().insertPart(j.id(), i0, PartKind.DATA, new PartRef("part-c", 10, r0));
    store.items().insertPart(j.id(), i0, PartKind.ERROR, new PartRef("_errors/c", 2, r0));
    store
        .items()
        .insertPart(
            j.id(),
            i1,
            PartKind.DATA,
            new PartRef("part-d", 5, new ByteRange(r1.start(), r1.start() + 50)));
    store.items().completeItem(i0, 0, 1, T0);

    SelectedParts selected = store.items().selectedParts(j.id());
    assertThat(selected.data()).extracting(PartRow::path).containsExactly("part-c");
    assertThat(selected.errors()).extracting(PartRow::path).containsExactly("_errors/c");
    assertThat(selected.untiled()).isEmpty();
    assertThat(store.items().recordCounts(j.id())).isEqualTo(new RecordCounts(10, 2));
  }

  @Test
  void failuresAndUsageAreKeptPerEvent() {
    Job j = job("f", T0);
    store.insertJob(j);
    store
        .items()
        .insertFailure(new FailureRow(prefix + "e1", j.id(), "i0", "oops", 1, false, "w1", T0));
    store
        .usage()
        .insertUsage(
            new UsageRow(
                prefix + "e1",
                j.id(),
                "i0",
                "w1",
                InstanceFacts.local("local-1"),
                12.5,
                T0,
                0,
                null));

    assertThat(store.items().failures(j.id()))
        .containsExactly(new FailureRow(prefix + "e1", j.id(), "i0", "oops", 1, false, "w1", T0));
    assertThat(store.usage().eventApplied(prefix + "e1")).isTrue();
    assertThat(store.usage().eventApplied(prefix + "e2")).isFalse();
    assertThat(store.usage().usage(j.id()))
        .singleElement()
        .satisfies(
            u -> {
              assertThat(u.machineSeconds()).isEqualTo(12.5);
              assertThat(u.instance()).isEqualTo(InstanceFacts.local("local-1"));
            });
  }

  @Test
  void aPlanIsStoredAllOrNothing() {
    Job j = job("t", T0);
    store.insertJob(j);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> store.items().insertItems(List.of(item(j, 0), item(j, 1), item(j, 0)), T0))
        .isInstanceOf(org.springframework.dao.DataAccessException.class);
    assertThat(store.items().inJob(j.id())).isEmpty();
  }

  @Test
  void countsJobsByStatus() {
    long before = store.countJobs(JobStatus.PENDING);
    store.insertJob(job("c", T0));
    assertThat(store.countJobs(JobStatus.PENDING)).isEqualTo(before + 1);
  }

  @Test
  void aPlanChunkIsStoredOnlyWhileItsJobIsPending() {
    Job j = job("chunks", T0);
    store.insertJob(j);

    assertThat(store.items().insertChunk(j.id(), List.of(item(j, 0), item(j, 1)), T0)).isTrue();
    assertThat(store.items().insertChunk(j.id(), List.of(item(j, 2)), T0)).isTrue();
    store.finish(j.id(), JobStatus.CANCELLED, "cancelled by request", null, T0);

    assertThat(store.items().insertChunk(j.id(), List.of(item(j, 3)), T0)).isFalse();
    assertThat(store.items().countItems(j.id())).isEqualTo(3);
    assertThat(store.items().insertChunk(prefix + "no-such-job", List.of(item(j, 4)), T0))
        .isFalse();
  }
}
