package dev.spotbatch.event;

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
    Instant at)
    implements ItemEvent {
  public ItemFailed {
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
