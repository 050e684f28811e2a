package dev.spotbatch.testing;

import dev.spotbatch.event.ItemCompleted;
import dev.spotbatch.event.ItemFailed;
import dev.spotbatch.event.PartRef;
import dev.spotbatch.model.Attempts;
import dev.spotbatch.model.ByteRange;
import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.Lifecycle;
import dev.spotbatch.model.WorkItem;
import java.time.Instant;

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
        Instant.parse("2026-01-01T00:00:05Z"));
  }
}
