package dev.spotbatch.event;

import dev.spotbatch.model.Attempts;
import dev.spotbatch.model.ByteRange;
import dev.spotbatch.model.InstanceFacts;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Function;

/**
 * An item's range was processed and its parts committed. Sent after the parts are written and
 * before the lease is completed.
 *
 * @param range the input range this lease processed (a continuation starts after 0)
 * @param part the committed result part
 * @param errorPart the committed record-error part, or {@code null} when every record was good
 * @param startedAt when the worker started this lease's work
 * @param at when the parts were committed
 */
public record ItemCompleted(
    String eventId,
    String jobId,
    String itemId,
    ByteRange range,
    PartRef part,
    PartRef errorPart,
    Attempts attempts,
    String workerId,
    InstanceFacts instance,
    Instant startedAt,
    Instant at)
    implements ItemEvent {
  public ItemCompleted {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(itemId, "itemId");
    Objects.requireNonNull(range, "range");
    Objects.requireNonNull(part, "part");
    Objects.requireNonNull(workerId, "workerId");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(at, "at");
  }

  public long recordsSucceeded() {
    return part.records();
  }

  public long recordsFailed() {
    return errorPart == null ? 0 : errorPart.records();
  }

  @Override
  public <R> R matchItem(
      Function<? super ItemCompleted, ? extends R> completed,
      Function<? super ItemFailed, ? extends R> failed,
      Function<? super ItemCheckpointed, ? extends R> checkpointed,
      Function<? super ItemStarted, ? extends R> started,
      Function<? super ItemReleased, ? extends R> released) {
    return completed.apply(this);
  }
}
