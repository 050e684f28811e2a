package dev.spotbatch.dispatcher.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.dispatcher.Databases;
import dev.spotbatch.dispatcher.Fixture;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Planning large inputs from sizes alone: the dispatcher lists and stats, never reads, and streams
 * the listing and the plan instead of holding them (issue 13 point 6; the timed runs are {@code
 * ./bench.sh plan}).
 */
class JobPlannerAtScaleTest {
  @TempDir Path dir;

  private CountingObjectStore counting;

  private Fixture fixture() {
    return new Fixture(
        dir,
        Databases.h2(),
        real -> {
          counting = new CountingObjectStore(real);
          return counting;
        });
  }

  @Test
  void aTenGibInputAtOneMibItemsIsPlannedFromItsSizeAloneAndNeverRead() throws Exception {
    Fixture f = fixture();
    Path input = dir.resolve("in/big.jsonl");
    Files.createDirectories(input.getParent());
    try (RandomAccessFile sparse = new RandomAccessFile(input.toFile(), "rw")) {
      sparse.setLength(10L * JobLimits.GIB); // sparse: no 10 GiB of disk
    }

    Job job = f.service.submit(f.submission("in/big.jsonl", JobLimits.MIB, 3));

    assertThat(f.jobs.findJob(job.id()).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
    assertThat(f.jobs.items().itemCounts(job.id()).total()).isEqualTo(10_240);
    assertThat(f.queue.stats().queued()).isEqualTo(10_240);
    assertThat(f.meters.counter("spotbatch.items.enqueued").count()).isEqualTo(10_240);
    assertThat(counting.reads).hasValue(0);
    assertThat(counting.stats).hasValue(1);
    assertThat(counting.lists).hasValue(0);
  }

  @Test
  void aPrefixOfManySmallObjectsIsStreamedIntoThePlanWithoutReadingThem() throws Exception {
    Fixture f = fixture();
    Path in = Files.createDirectories(dir.resolve("in/many"));
    for (int i = 0; i < 2_500; i++) {
      Files.write(in.resolve(String.format("doc-%05d.jsonl", i)), new byte[100]);
    }

    Job job = f.service.submit(f.submission("in/many/", JobLimits.MIB, 3));

    assertThat(f.jobs.findJob(job.id()).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
    assertThat(f.queue.stats().queued()).isEqualTo(2_500);
    assertThat(f.jobs.items().inJob(job.id()))
        .extracting(ItemRow::inputName)
        .startsWith("doc-00000.jsonl", "doc-00001.jsonl")
        .endsWith("doc-02499.jsonl");
    assertThat(counting.reads).hasValue(0);
    assertThat(counting.streamedListings).hasValue(1);
    assertThat(counting.lists).as("the planner never collects a whole listing").hasValue(0);
  }

  @Test
  void aPlanStoredBeforeARestartIsSentAgainWithoutListingTheInput() throws Exception {
    Fixture f = fixture();
    Path in = Files.createDirectories(dir.resolve("in"));
    Files.write(in.resolve("docs.jsonl"), new byte[5_000]);
    Job job = f.service.submit(f.submission("in/docs.jsonl", 1024, 3));
    assertThat(f.queue.stats().queued()).isEqualTo(5);
    int statsBefore = counting.stats.get();

    // a dispatcher restarted mid-enqueue plans the same job again
    f.planner.run(f.jobs.findJob(job.id()).orElseThrow());

    assertThat(f.queue.stats().queued()).isEqualTo(10); // at least once: every item sent again
    assertThat(f.jobs.items().itemCounts(job.id()).total()).isEqualTo(5);
    assertThat(counting.stats).hasValue(statsBefore);
    assertThat(counting.streamedListings).hasValue(0);
  }
}
