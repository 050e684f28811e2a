package dev.spotbatch.dispatcher.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.dispatcher.CountingDataSource;
import dev.spotbatch.dispatcher.Databases;
import dev.spotbatch.dispatcher.Fixture;
import dev.spotbatch.event.PartRef;
import dev.spotbatch.model.ByteRange;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The job view is polled (dashboards, CLIs, the benchmark): its item and record counts read a
 * bounded number of rows whatever the job's size, and agree with the manifest's exactly-once rule
 * ({@link PartTiling}).
 */
class JobViewReadsTest {
  @TempDir Path dir;

  private Job plannedJob(Fixture f, String name, int items) throws Exception {
    Path input = dir.resolve("in/" + name + ".jsonl");
    Files.createDirectories(input.getParent());
    try (RandomAccessFile sparse = new RandomAccessFile(input.toFile(), "rw")) {
      sparse.setLength(items * 1024L);
    }
    return f.service.submit(f.submission("in/" + name + ".jsonl", 1024, 3));
  }

  private static String id(Job job, int index) {
    return WorkItems.itemId(job.id(), index);
  }

  /** The item succeeds with one part over its whole range (and an error part when asked). */
  private void succeed(Fixture f, Job job, int index, long records, boolean withErrors) {
    ByteRange range = new ByteRange(index * 1024L, index * 1024L + 1024);
    f.jobs
        .items()
        .insertPart(job.id(), id(job, index), PartKind.DATA, part(index, "", range, records));
    if (withErrors) {
      f.jobs
          .items()
          .insertPart(job.id(), id(job, index), PartKind.ERROR, part(index, ".err", range, 1));
    }
    f.jobs.items().completeItem(id(job, index), 0, 0, f.clock.instant());
  }

  private static PartRef part(int index, String suffix, ByteRange range, long records) {
    return new PartRef(
        String.format("part-%06d-%d-%d%s.jsonl", index, range.start(), range.end(), suffix),
        records,
        range);
  }

  /** A job whose items all succeeded but the last two: one checkpointed, one not tiled yet. */
  private Job finishedJob(Fixture f, String name, int items) throws Exception {
    Job job = plannedJob(f, name, items);
    for (int i = 0; i < items - 2; i++) {
      succeed(f, job, i, 10, i % 10 == 0);
    }
    int checkpointed = items - 2;
    long s = checkpointed * 1024L;
    f.jobs
        .items()
        .insertPart(
            job.id(),
            id(job, checkpointed),
            PartKind.DATA,
            part(checkpointed, "", new ByteRange(s, s + 400), 4));
    f.jobs
        .items()
        .insertPart(
            job.id(),
            id(job, checkpointed),
            PartKind.DATA,
            part(checkpointed, "", new ByteRange(s + 400, s + 1024), 6));
    f.jobs.items().completeItem(id(job, checkpointed), 0, 1, f.clock.instant());
    int untiled = items - 1;
    long u = untiled * 1024L;
    f.jobs
        .items()
        .insertPart(
            job.id(),
            id(job, untiled),
            PartKind.DATA,
            part(untiled, "", new ByteRange(u, u + 400), 4));
    f.jobs.items().completeItem(id(job, untiled), 0, 1, f.clock.instant());
    return job;
  }

  @Test
  void theJobViewReadsAsManyRowsForFiveHundredItemsAsForFifty() throws Exception {
    CountingDataSource db = new CountingDataSource(Databases.h2());
    Fixture f = new Fixture(dir, db);
    Job small = finishedJob(f, "small", 50);
    Job large = finishedJob(f, "large", 500);

    db.reset();
    JobDetails smallView = f.service.get(small.id());
    long smallRows = db.rowsRead.get();
    long smallStatements = db.statements.get();
    db.reset();
    JobDetails largeView = f.service.get(large.id());
    long largeRows = db.rowsRead.get();

    assertThat(largeView.items()).isEqualTo(new ItemCounts(500, 0, 1, 499, 0, 0));
    assertThat(largeView.records()).isEqualTo(new RecordCounts(498 * 10 + 4 + 6, 50));
    assertThat(smallView.items()).isEqualTo(new ItemCounts(50, 0, 1, 49, 0, 0));
    assertThat(largeRows).as("rows read for 500 items").isEqualTo(smallRows);
    assertThat(largeRows).as("rows read for one view").isLessThan(30);
    assertThat(db.statements.get()).isEqualTo(smallStatements);
  }

  @Test
  void theCountsAgreeWithTheManifestsTilingOnEveryShapeOfParts() throws Exception {
    Fixture f = new Fixture(dir, Databases.h2());
    Job job = plannedJob(f, "shapes", 12);
    succeed(f, job, 0, 10, false); // simple
    succeed(f, job, 1, 10, true); // simple, with an error part
    long b = 2 * 1024L; // checkpoint + continuation
    f.jobs
        .items()
        .insertPart(job.id(), id(job, 2), PartKind.DATA, part(2, "", new ByteRange(b, b + 500), 5));
    f.jobs
        .items()
        .insertPart(
            job.id(), id(job, 2), PartKind.ERROR, part(2, ".err", new ByteRange(b, b + 500), 2));
    f.jobs
        .items()
        .insertPart(
            job.id(), id(job, 2), PartKind.DATA, part(2, "", new ByteRange(b + 500, b + 1024), 7));
    f.jobs.items().completeItem(id(job, 2), 0, 1, f.clock.instant());
    long c = 3 * 1024L; // a whole part and an overlapping checkpoint of the same start
    f.jobs
        .items()
        .insertPart(job.id(), id(job, 3), PartKind.DATA, part(3, "", new ByteRange(c, c + 300), 3));
    f.jobs
        .items()
        .insertPart(
            job.id(), id(job, 3), PartKind.DATA, part(3, "", new ByteRange(c, c + 1024), 11));
    f.jobs.items().completeItem(id(job, 3), 0, 1, f.clock.instant());
    long d = 4 * 1024L; // two whole parts under different names
    f.jobs
        .items()
        .insertPart(
            job.id(),
            id(job, 4),
            PartKind.DATA,
            new PartRef("b-dup.jsonl", 9, new ByteRange(d, d + 1024)));
    f.jobs
        .items()
        .insertPart(
            job.id(),
            id(job, 4),
            PartKind.DATA,
            new PartRef("a-dup.jsonl", 8, new ByteRange(d, d + 1024)));
    f.jobs.items().completeItem(id(job, 4), 0, 0, f.clock.instant());
    f.jobs.items().completeItem(id(job, 5), 0, 0, f.clock.instant()); // succeeded, no part yet
    long g = 6 * 1024L; // succeeded with a part that does not reach the end
    f.jobs
        .items()
        .insertPart(job.id(), id(job, 6), PartKind.DATA, part(6, "", new ByteRange(g, g + 100), 1));
    f.jobs.items().completeItem(id(job, 6), 0, 1, f.clock.instant());
    long h = 7 * 1024L; // pending, with a checkpoint part of an interrupted run
    f.jobs
        .items()
        .insertPart(job.id(), id(job, 7), PartKind.DATA, part(7, "", new ByteRange(h, h + 100), 1));
    f.jobs.items().failItem(id(job, 8), "bad", 3, true, f.clock.instant());
    JdbcClient.create(f.db)
        .sql("update items set status = 'RUNNING' where item_id = :id")
        .param("id", id(job, 9))
        .update();

    JobProgress progress = f.jobs.items().progress(job.id());

    SelectedParts reference =
        PartTiling.select(
            f.jobs.items().inJob(job.id(), ItemStatus.SUCCEEDED), f.jobs.items().parts(job.id()));
    long ok = reference.data().stream().mapToLong(PartRow::records).sum();
    long bad = reference.errors().stream().mapToLong(PartRow::records).sum();
    assertThat(progress.records()).isEqualTo(new RecordCounts(ok, bad));
    assertThat(progress.records()).isEqualTo(new RecordCounts(10 + 10 + 12 + 11 + 8, 1 + 2));
    assertThat(reference.untiled()).extracting(ItemRow::index).containsExactly(5, 6);
    // 7 succeeded, of which 2 untiled count as running; 1 running; 1 failed; 3 pending (7, 10, 11)
    assertThat(progress.items()).isEqualTo(new ItemCounts(12, 3, 3, 5, 1, 0));
    assertThat(List.of(progress.items().allFinal())).containsExactly(false);
  }
}
