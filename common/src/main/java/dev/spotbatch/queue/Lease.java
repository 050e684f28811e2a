package dev.spotbatch.queue;

import dev.spotbatch.model.WorkItem;
import java.time.Instant;
import java.util.Objects;

/**
 * A time-limited claim on one work item. Only the holder of an unexpired lease may commit the item;
 * a lease that runs out makes the item visible to other workers again.
 *
 * @param handle adapter-specific token (an SQS receipt handle, a Kafka record coordinate)
 * @param deadline when the lease runs out unless extended
 * @param deliveries how many times the broker has handed out this message (1 on first delivery)
 */
public record Lease(WorkItem item, String handle, Instant deadline, int deliveries) {
  public Lease {
    Objects.requireNonNull(item, "item");
    Objects.requireNonNull(handle, "handle");
    Objects.requireNonNull(deadline, "deadline");
  }

  public Lease withDeadline(Instant next) {
    return new Lease(item, handle, next, deliveries);
  }
}
