package dev.spotbatch.event;

import dev.spotbatch.model.Attempts;
import dev.spotbatch.model.ByteRange;
import dev.spotbatch.model.InstanceFacts;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Function;

/**
 * A draining worker committed the records of an item done so far as a checkpoint part and put the
 * remainder back on the queue as a continuation. The item stays pending; the manifest lists the
 * checkpoint part together with the parts of the continuation.
 *
 * @param part the committed result part; its range is {@code [range.start, remaining.start)}
 * @param errorPart the committed record-error part of the same range, or {@code null}
 * @param remaining the range the continuation will process
 * @param attempts the attempts of the lease that was interrupted
 */
public record ItemCheckpointed(
    String eventId,
    String jobId,
    String itemId,
    PartRef part,
    PartRef errorPart,
    ByteRange remaining,
    Attempts attempts,
    String workerId,
    InstanceFacts instance,
    Instant startedAt,
    Instant at)
    implements ItemEvent {
  public ItemCheckpointed {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(itemId, "itemId");
    Objects.requireNonNull(part, "part");
    Objects.requireNonNull(remaining, "remaining");
    Objects.requireNonNull(workerId, "workerId");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(at, "at");
    if (part.range().end() != remaining.start()) {
      throw new IllegalArgumentException(
          "checkpoint part "
              + part.range()
              + " must end where the remainder "
              + remaining
              + " starts");
    }
  }

  @Override
  public <R> R matchItem(
      Function<? super ItemCompleted, ? extends R> completed,
      Function<? super ItemFailed, ? extends R> failed,
      Function<? super ItemCheckpointed, ? extends R> checkpointed,
      Function<? super ItemStarted, ? extends R> started,
      Function<? super ItemReleased, ? extends R> released) {
    return checkpointed.apply(this);
  }
}
