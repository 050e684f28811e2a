package dev.spotbatch.event;

import dev.spotbatch.model.Attempts;
import dev.spotbatch.model.ByteRange;
import dev.spotbatch.model.InstanceFacts;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Function;

/**
 * A worker started processing a leased item: the dispatcher counts the item as running until an
 * event says it completed, failed, was checkpointed or released. Sent on a best-effort basis (a
 * lost one only leaves the item counted as pending).
 *
 * @param range the input range this lease processes
 * @param attempts the attempts of this lease; a start older than the item's last failure is stale
 * @param startedAt when the worker started this lease's work
 * @param at when the event was made
 */
public record ItemStarted(
    String eventId,
    String jobId,
    String itemId,
    ByteRange range,
    Attempts attempts,
    String workerId,
    InstanceFacts instance,
    Instant startedAt,
    Instant at)
    implements ItemEvent {
  public ItemStarted {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(itemId, "itemId");
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
    return started.apply(this);
  }
}
