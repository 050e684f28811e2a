package dev.spotbatch.event;

import dev.spotbatch.model.InstanceFacts;
import java.time.Instant;
import java.util.function.Function;

/**
 * Something a worker reports to the dispatcher: about one of its items ({@link ItemEvent}) or about
 * itself ({@link WorkerDraining}, {@link WorkerStopped}). Every event has a unique id (delivery is
 * at-least-once) and names the worker and the machine it ran on, for cost attribution.
 */
public sealed interface WorkerEvent permits ItemEvent, WorkerDraining, WorkerStopped {
  String eventId();

  String workerId();

  InstanceFacts instance();

  Instant at();

  /**
   * Calls the function for this event's kind: the exhaustive switch over worker events (Java 17 has
   * no pattern switch). A new kind adds a parameter, so no caller can leave it out.
   */
  <R> R match(
      Function<? super ItemEvent, ? extends R> item,
      Function<? super WorkerDraining, ? extends R> draining,
      Function<? super WorkerStopped, ? extends R> stopped);
}
