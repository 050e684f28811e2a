package dev.spotbatch.testing;

import dev.spotbatch.event.DrainReport;
import dev.spotbatch.event.ItemCheckpointed;
import dev.spotbatch.event.ItemCompleted;
import dev.spotbatch.event.ItemFailed;
import dev.spotbatch.event.ItemReleased;
import dev.spotbatch.event.ItemStarted;
import dev.spotbatch.event.PartRef;
import dev.spotbatch.event.WorkerDraining;
import dev.spotbatch.event.WorkerEvent;
import dev.spotbatch.event.WorkerStopped;
import dev.spotbatch.model.Attempts;
import dev.spotbatch.model.ByteRange;
import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.Lifecycle;
import dev.spotbatch.model.NoticeKind;
import dev.spotbatch.model.WorkItem;
import java.time.Instant;
import java.util.List;

/** Ready-made domain values for tests in every module. */
public final class Samples {
  private Samples() {}

  public static final InstanceFacts SPOT =
      new InstanceFacts("aws", "i-0abc", "c7i.large", "us-east-1", "us-east-1a", Lifecycle.SPOT);

  public static WorkItem item(int index) {
    return WorkQueueContract.item(index);
  }

  public static ItemCompleted completed(int index) {
    ByteRange range = new ByteRange(0, 100);
    WorkItem item = item(index);
    return new ItemCompleted(
        "evt-c-" + index,
        item.jobId(),
        item.itemId(),
        range,
        new PartRef(item.partPath(), 10, range),
        new PartRef(item.errorPartPath(), 1, range),
        Attempts.NONE,
        "worker-1",
        SPOT,
        Instant.parse("2026-01-01T00:00:00Z"),
        Instant.parse("2026-01-01T00:00:05Z"));
  }

  public static ItemFailed failed(int index) {
    WorkItem item = item(index);
    return new ItemFailed(
        "evt-f-" + index,
        item.jobId(),
        item.itemId(),
        item.range(),
        "model exploded",
        new Attempts(1, 2),
        false,
        "worker-1",
        SPOT,
        Instant.parse("2026-01-01T00:00:00Z"),
        Instant.parse("2026-01-01T00:00:05Z"),
        null);
  }

  /**
   * One event of each type: completed(1), failed(2), checkpointed(3), started(4), released(5),
   * draining, stopped.
   */
  public static List<WorkerEvent> everyEventType() {
    return List.of(
        completed(1), failed(2), checkpointed(3), started(4), released(5), draining(), stopped());
  }

  public static ItemStarted started(int index) {
    WorkItem item = item(index);
    return new ItemStarted(
        "evt-st-" + index,
        item.jobId(),
        item.itemId(),
        item.range(),
        new Attempts(1, 0),
        "worker-1",
        SPOT,
        Instant.parse("2026-01-01T00:00:00Z"),
        Instant.parse("2026-01-01T00:00:00.010Z"));
  }

  public static ItemReleased released(int index) {
    WorkItem item = item(index);
    return new ItemReleased(
        "evt-r-" + index,
        item.jobId(),
        item.itemId(),
        item.range(),
        new Attempts(0, 1),
        ItemReleased.ReleaseReason.HANDED_BACK,
        "worker-1",
        SPOT,
        Instant.parse("2026-01-01T00:00:00Z"),
        Instant.parse("2026-01-01T00:00:03Z"));
  }

  public static ItemCheckpointed checkpointed(int index) {
    WorkItem item = item(index);
    ByteRange done = new ByteRange(0, 40);
    return new ItemCheckpointed(
        "evt-k-" + index,
        item.jobId(),
        item.itemId(),
        new PartRef(item.partPath(40), 4, done),
        null,
        new ByteRange(40, 100),
        new Attempts(0, 1),
        "worker-1",
        SPOT,
        Instant.parse("2026-01-01T00:00:00Z"),
        Instant.parse("2026-01-01T00:00:05Z"));
  }

  public static WorkerDraining draining() {
    return new WorkerDraining(
        "evt-d-1",
        "worker-1",
        SPOT,
        NoticeKind.AWS_SPOT_INTERRUPTION,
        "aws-spot:1",
        Instant.parse("2026-01-01T00:00:00Z"),
        Instant.parse("2026-01-01T00:00:01Z"),
        Instant.parse("2026-01-01T00:02:00Z"),
        Instant.parse("2026-01-01T00:00:02Z"));
  }

  public static WorkerStopped stopped() {
    DrainReport report =
        new DrainReport(
            NoticeKind.AWS_SPOT_INTERRUPTION,
            "aws-spot:1",
            Instant.parse("2026-01-01T00:00:00Z"),
            Instant.parse("2026-01-01T00:00:01Z"),
            Instant.parse("2026-01-01T00:02:00Z"),
            Instant.parse("2026-01-01T00:00:02Z"),
            2,
            1,
            1,
            0,
            Instant.parse("2026-01-01T00:00:30Z"));
    return new WorkerStopped(
        "evt-s-1", "worker-1", SPOT, report, Instant.parse("2026-01-01T00:00:31Z"));
  }
}
