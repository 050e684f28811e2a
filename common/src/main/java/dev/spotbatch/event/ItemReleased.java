package dev.spotbatch.event;

import dev.spotbatch.model.Attempts;
import dev.spotbatch.model.ByteRange;
import dev.spotbatch.model.InstanceFacts;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Function;

/**
 * A worker gave a lease back with nothing committed (a drain handed it back, or its job was
 * cancelled): the item is no longer running here. For a hand-back the same range is back on the
 * queue as a continuation.
 *
 * @param range the input range of the lease given back
 * @param attempts the attempts of the lease given back
 * @param reason why the lease was given back
 * @param startedAt when the worker started this lease's work
 * @param at when the lease was given back
 */
public record ItemReleased(
    String eventId,
    String jobId,
    String itemId,
    ByteRange range,
    Attempts attempts,
    ReleaseReason reason,
    String workerId,
    InstanceFacts instance,
    Instant startedAt,
    Instant at)
    implements ItemEvent {
  public ItemReleased {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(itemId, "itemId");
    Objects.requireNonNull(workerId, "workerId");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(at, "at");
    reason = reason == null ? ReleaseReason.HANDED_BACK : reason;
  }

  /** Why a worker gave a lease back without committing anything. */
  public enum ReleaseReason {
    /** A drain put the unstarted range back on the queue as a continuation. */
    HANDED_BACK,
    /** The item's job was cancelled: the lease was acknowledged, nothing written. */
    JOB_CANCELLED,
    /**
     * The object store or a queue was unavailable: the item went back unchanged, with a delay, its
     * failure budget untouched.
     */
    OUTAGE
  }

  @Override
  public <R> R matchItem(
      Function<? super ItemCompleted, ? extends R> completed,
      Function<? super ItemFailed, ? extends R> failed,
      Function<? super ItemCheckpointed, ? extends R> checkpointed,
      Function<? super ItemStarted, ? extends R> started,
      Function<? super ItemReleased, ? extends R> released) {
    return released.apply(this);
  }
}
