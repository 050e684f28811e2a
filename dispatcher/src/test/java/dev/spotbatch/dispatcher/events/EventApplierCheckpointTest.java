package dev.spotbatch.dispatcher.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.dispatcher.Fixture;
import dev.spotbatch.dispatcher.fleet.DrainReports;
import dev.spotbatch.dispatcher.job.ItemCounts;
import dev.spotbatch.dispatcher.job.Job;
import dev.spotbatch.dispatcher.job.JobStatus;
import dev.spotbatch.dispatcher.job.RecordCounts;
import dev.spotbatch.event.DrainReport;
import dev.spotbatch.event.ItemCheckpointed;
import dev.spotbatch.event.ItemCompleted;
import dev.spotbatch.event.PartRef;
import dev.spotbatch.event.WorkerDraining;
import dev.spotbatch.event.WorkerEvent;
import dev.spotbatch.event.WorkerStopped;
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
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Checkpoints, their continuations and drain reports, as the event applier sees them. */
class EventApplierCheckpointTest {
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
    Files.write(dir.resolve("in/docs.jsonl"), new byte[2000]);
    job = f.service.submit(f.submission("in/docs.jsonl", 1024, 3));
    items =
        f.queue.lease(100, Duration.ZERO, Duration.ofMinutes(1)).stream().map(Lease::item).toList();
    assertThat(items).hasSize(2);
  }

  ItemCheckpointed checkpointed(WorkItem item, long offset, long records, long errors) {
    Instant at = f.clock.instant();
    ByteRange done = new ByteRange(item.range().start(), offset);
    return new ItemCheckpointed(
        UUID.randomUUID().toString(),
        item.jobId(),
        item.itemId(),
        new PartRef(item.partPath(offset), records, done),
        errors == 0 ? null : new PartRef(item.errorPartPath(offset), errors, done),
        item.range().from(offset),
        item.attempts(),
        "w1",
        SPOT,
        at.minusSeconds(60),
        at);
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
        item.attempts(),
        "w2",
        SPOT,
        at.minusSeconds(60),
        at);
  }

  void apply(WorkerEvent... events) {
    f.applier.applyAll(List.of(events));
  }

  static List<String> paths(JsonNode m, String field) {
    List<String> out = new java.util.ArrayList<>();
    for (JsonNode p : m.get(field)) {
      out.add(p.get("path").asString());
    }
    return out;
  }

  JsonNode manifest() throws Exception {
    return JsonMapper.builder().build().readTree(Files.readString(dir.resolve("out/_SUCCESS")));
  }

  @Test
  void aCheckpointStoresItsPartsAndLeavesTheItemPending() {
    WorkItem first = items.get(0);
    apply(checkpointed(first, 400, 10, 1));

    assertThat(f.jobs.items().findItem(first.itemId()).orElseThrow().status().name())
        .isIn("PENDING", "RUNNING");
    assertThat(f.jobs.items().parts(job.id()))
        .extracting(p -> p.path(), p -> p.range())
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(first.partPath(400), new ByteRange(0, 400)),
            org.assertj.core.groups.Tuple.tuple(first.errorPartPath(400), new ByteRange(0, 400)));
    assertThat(f.jobs.items().itemCounts(job.id()).succeeded()).isZero();
    assertThat(f.jobs.items().recordCounts(job.id()))
        .isEqualTo(new RecordCounts(0, 0)); // not final yet
  }

  @Test
  void checkpointThenTheContinuationCompletingSucceedsWithAManifestListingBothParts()
      throws Exception {
    WorkItem first = items.get(0);
    WorkItem rest = first.continueFrom(400);
    apply(completed(items.get(1), 7, 0));
    apply(checkpointed(first, 400, 10, 1));
    apply(completed(rest, 15, 2));

    assertThat(f.jobs.findJob(job.id()).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
    JsonNode m = manifest();
    assertThat(paths(m, "parts"))
        .containsExactly(first.partPath(400), rest.partPath(), items.get(1).partPath());
    assertThat(paths(m, "errors")).containsExactly(first.errorPartPath(400), rest.errorPartPath());
    assertThat(m.get("records").get("succeeded").asLong()).isEqualTo(10 + 15 + 7);
    assertThat(m.get("records").get("failed").asLong()).isEqualTo(3);
    assertThat(f.jobs.items().recordCounts(job.id())).isEqualTo(new RecordCounts(32, 3));
  }

  @Test
  void aContinuationCompletingBeforeItsCheckpointArrivesWaitsForTheCheckpoint() throws Exception {
    WorkItem first = items.get(0);
    WorkItem rest = first.continueFrom(400);
    apply(completed(items.get(1), 7, 0));
    apply(completed(rest, 15, 0)); // events come in any order

    assertThat(f.jobs.findJob(job.id()).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
    assertThat(f.jobs.items().itemCounts(job.id())).isEqualTo(new ItemCounts(2, 0, 1, 1, 0));
    assertThat(dir.resolve("out/_SUCCESS")).doesNotExist();

    apply(checkpointed(first, 400, 10, 0));

    assertThat(f.jobs.findJob(job.id()).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(manifest().get("records").get("succeeded").asLong()).isEqualTo(32);
  }

  @Test
  void aFullRunAndACheckpointFromTheSameStartAreNeverBothListed() throws Exception {
    WorkItem first = items.get(0);
    // the lease ran out while its owner was checkpointing: another worker ran the whole range,
    // and a third ran the continuation
    apply(checkpointed(first, 400, 10, 0));
    apply(completed(first, 25, 0));
    apply(completed(first.continueFrom(400), 15, 0));
    apply(completed(items.get(1), 7, 0));

    JsonNode m = manifest();
    assertThat(paths(m, "parts")).containsExactly(first.partPath(), items.get(1).partPath());
    assertThat(m.get("records").get("succeeded").asLong()).isEqualTo(25 + 7);
    assertThat(f.jobs.items().recordCounts(job.id()).succeeded()).isEqualTo(32);
  }

  @Test
  void drainEventsFeedTheDrainReports() {
    Instant t = f.clock.instant();
    apply(
        new WorkerDraining(
            "e1",
            "w1",
            SPOT,
            NoticeKind.AWS_SPOT_INTERRUPTION,
            "aws-spot:1",
            t,
            t,
            t.plusSeconds(120),
            t));
    DrainReports reports = f.applier.drainReports();
    assertThat(reports.latest("w1").orElseThrow().phase()).isEqualTo(DrainReports.Phase.DRAINING);

    DrainReport report =
        new DrainReport(
            NoticeKind.AWS_SPOT_INTERRUPTION,
            "aws-spot:1",
            t,
            t,
            t.plusSeconds(120),
            t.plusSeconds(1),
            2,
            1,
            1,
            0,
            t.plusSeconds(30));
    apply(new WorkerStopped("e2", "w1", SPOT, report, t.plusSeconds(30)));

    DrainReports.WorkerDrain latest = reports.latest("w1").orElseThrow();
    assertThat(latest.phase()).isEqualTo(DrainReports.Phase.STOPPED);
    assertThat(latest.report()).isEqualTo(report);
    assertThat(f.jobs.findJob(job.id()).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
  }
}
