package dev.spotbatch.dispatcher.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.dispatcher.Databases;
import dev.spotbatch.dispatcher.Fixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first sizing of a job rests on its own input: before any part is committed, its records left
 * come from the bytes per record of its first object's head, not from a fixed 100 bytes.
 */
class JobBacklogSamplingTest {
  @TempDir Path dir;
  DataSource ds;
  Fixture f;

  @BeforeEach
  void setUp() {
    ds = Databases.h2();
    f = new Fixture(dir, ds);
  }

  /** {@code n} JSONL records of exactly {@code bytes} bytes each (newline included). */
  private void write(String name, int n, int bytes) throws Exception {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      String head = "{\"id\":\"r" + i + "\",\"text\":\"";
      String tail = "\"}\n";
      sb.append(head).append("x".repeat(bytes - head.length() - tail.length())).append(tail);
    }
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, sb.toString(), StandardCharsets.UTF_8);
  }

  @Test
  void aJobWithoutPartsIsSizedFromItsInputsHead() throws Exception {
    write("in/long.jsonl", 2_000, 500); // 1,000,000 bytes, 2,000 records
    Job job = f.service.submit(f.submission("in/long.jsonl", 100_000, 3));

    JobRemaining sampled =
        new JobBacklog(ds, new ObjectHeadSampler(f.store, 64 * 1024)).of(job.id()).orElseThrow();
    JobRemaining assumed = new JobBacklog(ds, RecordSampler.NONE).of(job.id()).orElseThrow();

    assertThat(sampled.remainingRecords()).isEqualTo(2_000);
    assertThat(assumed.remainingRecords()).as("at 100 bytes a record").isEqualTo(10_000);
  }

  @Test
  void theHeadSamplerCountsCompleteLinesOnlyAndKeepsItsAnswer() throws Exception {
    write("in/a.jsonl", 1_000, 250);
    Files.writeString(dir.resolve("in/one.jsonl"), "{\"id\":\"only\",\"text\":\"no newline\"}");
    ObjectHeadSampler sampler = new ObjectHeadSampler(f.store, 1_000); // 4 lines, then part of one

    assertThat(sampler.bytesPerRecord(f.uri("in/a.jsonl").toString())).hasValue(250);
    assertThat(sampler.bytesPerRecord(f.uri("in/one.jsonl").toString())).hasValue(33);
    assertThat(sampler.bytesPerRecord(f.uri("in/missing.jsonl").toString()))
        .isEqualTo(OptionalDouble.empty());

    Files.delete(dir.resolve("in/a.jsonl"));
    assertThat(sampler.bytesPerRecord(f.uri("in/a.jsonl").toString()))
        .as("read once per object")
        .hasValue(250);
  }
}
