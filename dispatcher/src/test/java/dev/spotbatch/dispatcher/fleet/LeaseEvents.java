package dev.spotbatch.dispatcher.fleet;

import dev.spotbatch.event.ItemCompleted;
import dev.spotbatch.event.ItemReleased;
import dev.spotbatch.event.ItemStarted;
import dev.spotbatch.event.PartRef;
import dev.spotbatch.event.WorkerStopped;
import dev.spotbatch.model.Attempts;
import dev.spotbatch.model.ByteRange;
import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.Lifecycle;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * Worker events about leases as an AWS worker sends them (its worker id is its instance id), each
 * of an item's first attempt: what the lease bookkeeping looks at is who holds which item since
 * when.
 */
public final class LeaseEvents {
  private static final ByteRange RANGE = new ByteRange(0, 1000);
  private static final Attempts FIRST = Attempts.NONE;
  private final Clock clock;

  public LeaseEvents(Clock clock) {
    this.clock = clock;
  }

  public static InstanceFacts instance(String instanceId) {
    return new InstanceFacts(
        "aws", instanceId, "g5.xlarge", "us-east-1", "us-east-1a", Lifecycle.SPOT);
  }

  public ItemStarted started(String instanceId, String item, Instant startedAt) {
    return new ItemStarted(
        UUID.randomUUID().toString(),
        "j1",
        item,
        RANGE,
        FIRST,
        instanceId,
        instance(instanceId),
        startedAt,
        clock.instant());
  }

  public ItemCompleted completed(String instanceId, String item, Instant startedAt) {
    return new ItemCompleted(
        UUID.randomUUID().toString(),
        "j1",
        item,
        RANGE,
        new PartRef("part-" + item, 10, RANGE),
        null,
        FIRST,
        instanceId,
        instance(instanceId),
        startedAt,
        clock.instant());
  }

  public ItemReleased released(String instanceId, String item, Instant startedAt) {
    return new ItemReleased(
        UUID.randomUUID().toString(),
        "j1",
        item,
        RANGE,
        FIRST,
        ItemReleased.ReleaseReason.OUTAGE,
        instanceId,
        instance(instanceId),
        startedAt,
        clock.instant());
  }

  public WorkerStopped stopped(String instanceId) {
    return new WorkerStopped(
        UUID.randomUUID().toString(), instanceId, instance(instanceId), null, clock.instant());
  }
}
