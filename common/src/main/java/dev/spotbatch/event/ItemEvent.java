package dev.spotbatch.event;

import dev.spotbatch.model.Attempts;
import java.time.Instant;
import java.util.function.Function;

/**
 * What a worker reports about one work item: the dispatcher applies it to that item, idempotently
 * by event id, and prices the machine time between {@link #startedAt} and {@link #at}.
 */
public sealed interface ItemEvent extends WorkerEvent
    permits ItemCompleted, ItemFailed, ItemCheckpointed, ItemStarted, ItemReleased {
  String jobId();

  String itemId();

  /** The attempts of the lease the event is about (may be null from an older writer). */
  Attempts attempts();

  /** When the worker started this lease's work (may be null from an older writer). */
  Instant startedAt();

  /**
   * Calls the function for this event's type: the exhaustive switch over item events (Java 17 has
   * no pattern switch). A new type adds a parameter, so no caller can leave it out.
   */
  <R> R matchItem(
      Function<? super ItemCompleted, ? extends R> completed,
      Function<? super ItemFailed, ? extends R> failed,
      Function<? super ItemCheckpointed, ? extends R> checkpointed,
      Function<? super ItemStarted, ? extends R> started,
      Function<? super ItemReleased, ? extends R> released);

  @Override
  default <R> R match(
      Function<? super ItemEvent, ? extends R> item,
      Function<? super WorkerDraining, ? extends R> draining,
      Function<? super WorkerStopped, ? extends R> stopped) {
    return item.apply(this);
  }
}
