package dev.spotbatch.dispatcher.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.dispatcher.Fixture;
import dev.spotbatch.model.ByteRange;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.queue.Lease;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobPlannerTest {
  @TempDir Path dir;
  Fixture f;

  @BeforeEach
  void setUp() {
    f = new Fixture(dir);
  }

  private void write(String relative, int bytes) throws Exception {
    Path p = dir.resolve(relative);
    Files.createDirectories(p.getParent());
    Files.write(p, new byte[bytes]);
  }

  private List<WorkItem> leaseAll() {
    return f.queue.lease(10_000, Duration.ZERO, Duration.ofMinutes(1)).stream()
        .map(Lease::item)
        .toList();
  }

  @Test
  void rangesCoverEachObjectExactlyWithSizesAtMostItemBytes() {
    for (long size : new long[] {1, 1023, 1024, 1025, 10_000, 1_048_577, 5_000_000}) {
      for (long itemBytes : new long[] {1024, 4096, 1_048_576}) {
        List<ByteRange> ranges = JobPlanner.split(size, itemBytes);
        assertThat(ranges.get(0).start()).isZero();
        assertThat(ranges.get(ranges.size() - 1).end()).isEqualTo(size);
        for (int i = 1; i < ranges.size(); i++) {
          assertThat(ranges.get(i).start()).isEqualTo(ranges.get(i - 1).end());
        }
        long n = (size + itemBytes - 1) / itemBytes;
        assertThat(ranges).hasSize((int) n);
        for (ByteRange r : ranges) {
          assertThat(r.length()).isPositive().isLessThanOrEqualTo(itemBytes);
          assertThat(r.length()).isGreaterThanOrEqualTo(size / n); // near-equal
        }
      }
    }
  }

  @Test
  void anEmptyObjectGivesNoRanges() {
    assertThat(JobPlanner.split(0, 1024)).isEmpty();
  }

  @Test
  void plansASingleObjectIntoDeterministicItemsAndEnqueuesThem() throws Exception {
    write("in/docs.jsonl", 3000);
    Job job = f.service.submit(f.submission("in/docs.jsonl", 1024, 3));

    Job after = f.jobs.findJob(job.id()).orElseThrow();
    assertThat(after.status()).isEqualTo(JobStatus.RUNNING);
    assertThat(after.startedAt()).isEqualTo(f.clock.instant());
    List<WorkItem> items = leaseAll();
    assertThat(items)
        .extracting(WorkItem::itemId)
        .containsExactly(job.id() + "-000000", job.id() + "-000001", job.id() + "-000002");
    assertThat(items).extracting(WorkItem::inputName).containsOnly("docs.jsonl");
    assertThat(items)
        .extracting(WorkItem::range)
        .containsExactly(
            new ByteRange(0, 1000), new ByteRange(1000, 2000), new ByteRange(2000, 3000));
    assertThat(items.get(0).outputUri()).isEqualTo(f.uri("out/").toString());
    assertThat(items.get(0).maxAttempts()).isEqualTo(3);
    assertThat(f.jobs.items().itemCounts(job.id())).isEqualTo(new ItemCounts(3, 3, 0, 0, 0));
    assertThat(f.meters.counter("spotbatch.items.enqueued").count()).isEqualTo(3);
  }

  @Test
  void plansADirectoryWithNamesRelativeToTheInputAndSkipsEmptyObjects() throws Exception {
    write("in/a.jsonl", 2048);
    write("in/sub/b.jsonl", 100);
    write("in/empty.jsonl", 0);
    Job job = f.service.submit(f.submission("in/", 1024, 3));

    List<WorkItem> items = leaseAll();
    assertThat(items)
        .extracting(WorkItem::inputName)
        .containsExactly("a.jsonl", "a.jsonl", "sub/b.jsonl");
    assertThat(items).extracting(WorkItem::index).containsExactly(0, 1, 2);
    assertThat(f.jobs.findJob(job.id()).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
  }

  @Test
  void aDirectoryGivenWithoutTrailingSlashIsListed() throws Exception {
    write("in/a.jsonl", 10);
    Job job = f.service.submit(f.submission("in", 1024, 3));
    assertThat(leaseAll()).extracting(WorkItem::inputName).containsExactly("a.jsonl");
    assertThat(f.jobs.findJob(job.id()).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
  }

  @Test
  void aMissingInputEndsTheJobFailedWithTheReason() {
    Job job = f.service.submit(f.submission("nowhere/docs.jsonl", 1024, 3));

    Job after = f.jobs.findJob(job.id()).orElseThrow();
    assertThat(after.status()).isEqualTo(JobStatus.FAILED);
    assertThat(after.reason()).contains("does not exist").contains("nowhere/docs.jsonl");
    assertThat(after.finishedAt()).isNotNull();
    assertThat(leaseAll()).isEmpty();
  }

  @Test
  void aMissingDirectoryEndsTheJobFailed() {
    Job job = f.service.submit(f.submission("nodir/", 1024, 3));
    Job after = f.jobs.findJob(job.id()).orElseThrow();
    assertThat(after.status()).isEqualTo(JobStatus.FAILED);
    assertThat(after.reason()).contains("nodir");
  }

  @Test
  void anEmptyInputSucceedsAtOnceWithAnEmptyManifest() throws Exception {
    write("in/empty.jsonl", 0);
    Job job = f.service.submit(f.submission("in/empty.jsonl", 1024, 3));

    Job after = f.jobs.findJob(job.id()).orElseThrow();
    assertThat(after.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(after.manifestUri()).isEqualTo(f.uri("out/_SUCCESS").toString());
    String manifest = Files.readString(dir.resolve("out/_SUCCESS"));
    assertThat(manifest).contains("\"parts\" : [ ]").contains("\"succeeded\" : 0");
  }

  @Test
  void inlineRecordsAreStagedAsOneJsonlObjectThenPlanned() throws Exception {
    Job job =
        f.service.submit(
            f.records(
                List.of(Map.of("id", "a", "text", "hello"), Map.of("id", "b", "text", "world"))));

    Path staged = dir.resolve("staging/" + job.id() + "/records.jsonl");
    List<String> lines = Files.readAllLines(staged, StandardCharsets.UTF_8);
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).contains("\"text\":\"hello\"");
    assertThat(job.inputUri())
        .isEqualTo(f.uri("staging/" + job.id() + "/records.jsonl").toString());
    List<WorkItem> items = leaseAll();
    assertThat(items).hasSize(1);
    assertThat(items.get(0).inputName()).isEqualTo("records.jsonl");
    assertThat(items.get(0).range()).isEqualTo(new ByteRange(0, Files.size(staged)));
  }

  @Test
  void anEmptyRecordsListSucceedsWithZeroRecords() {
    Job job = f.service.submit(f.records(List.of()));
    Job after = f.jobs.findJob(job.id()).orElseThrow();
    assertThat(after.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(f.service.get(job.id()).records()).isEqualTo(new RecordCounts(0, 0));
  }

  @Test
  void resumingAPlannedJobSendsOnlyItsUnfinishedItemsAgain() throws Exception {
    write("in/docs.jsonl", 2048);
    Job job = f.service.submit(f.submission("in/docs.jsonl", 1024, 3));
    leaseAll();
    f.jobs.items().completeItem(job.id() + "-000000", 0, 0, f.clock.instant());

    f.planner.run(f.jobs.findJob(job.id()).orElseThrow());

    assertThat(leaseAll()).extracting(WorkItem::itemId).containsExactly(job.id() + "-000001");
  }

  @Test
  void itemIdsAreTheJobIdAndTheIndexPaddedToSixDigits() {
    assertThat(WorkItems.itemId("j1", 0)).isEqualTo("j1-000000");
    assertThat(WorkItems.itemId("j1", 42)).isEqualTo("j1-000042");
    assertThat(WorkItems.itemId("j1", 999_999)).isEqualTo("j1-999999");
    assertThat(WorkItems.itemId("j1", 1_234_567)).isEqualTo("j1-1234567");
  }
}
