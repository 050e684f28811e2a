package dev.spotbatch.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.spotbatch.model.Attempts;
import dev.spotbatch.model.ByteRange;
import dev.spotbatch.model.InstanceFacts;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Function;

/**
 * An attempt at an item failed (an unreadable input, a model error). When {@code terminal} is false
 * the item went back to the queue with a delay; when true its failures reached {@code maxAttempts}
 * and the item is final.
 *
 * @param attempts the attempts including this failure
 * @param reason what went wrong, for a person to act on
 * @param cause whether the failure is the item's alone or ends its job (absent in older events:
 *     {@link FailureCause#ITEM})
 */
public record ItemFailed(
    String eventId,
    String jobId,
    String itemId,
    ByteRange range,
    String reason,
    Attempts attempts,
    boolean terminal,
    String workerId,
    InstanceFacts instance,
    Instant startedAt,
    Instant at,
    @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = ItemFailed.ItemCause.class)
        FailureCause cause)
    implements ItemEvent {
  public ItemFailed {
    cause = cause == null ? FailureCause.ITEM : cause;
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(itemId, "itemId");
    Objects.requireNonNull(range, "range");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(attempts, "attempts");
    Objects.requireNonNull(workerId, "workerId");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(at, "at");
  }

  /**
   * Leaves {@code cause} out of the JSON when it is {@link FailureCause#ITEM}, so an item's own
   * failure is written exactly as v1 messages were; only a job-ending failure carries the field.
   */
  public static final class ItemCause {
    @Override
    public boolean equals(Object value) {
      return value == null || value == FailureCause.ITEM;
    }

    @Override
    public int hashCode() {
      return 0;
    }
  }

  @Override
  public <R> R matchItem(
      Function<? super ItemCompleted, ? extends R> completed,
      Function<? super ItemFailed, ? extends R> failed,
      Function<? super ItemCheckpointed, ? extends R> checkpointed,
      Function<? super ItemStarted, ? extends R> started,
      Function<? super ItemReleased, ? extends R> released) {
    return failed.apply(this);
  }
}
