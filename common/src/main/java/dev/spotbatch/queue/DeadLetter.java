package dev.spotbatch.queue;

import dev.spotbatch.model.WorkItem;
import java.util.Objects;

/**
 * A work item the broker gave up on: it lost its lease too often and was moved to the dead-letter
 * queue (SQS redrive) or topic (Kafka {@code <work>-dlq}).
 *
 * @param item the item as it was queued, or null when the message cannot be decoded
 * @param handle adapter-specific token to acknowledge it with
 * @param deliveries how often the broker delivered it before giving up (0 if unknown)
 * @param reason a sentence for the item's failure: where it came from and why
 */
public record DeadLetter(WorkItem item, String handle, int deliveries, String reason) {
  public DeadLetter {
    Objects.requireNonNull(handle, "handle");
    Objects.requireNonNull(reason, "reason");
  }
}
