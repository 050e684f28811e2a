package dev.spotbatch.event;

import dev.spotbatch.model.InstanceFacts;
import java.time.Instant;

/**
 * Something a worker reports to the dispatcher. Every event has a unique id (delivery is
 * at-least-once) and names the worker and the machine it ran on, for cost attribution.
 */
public sealed interface WorkerEvent
    permits ItemCompleted, ItemFailed, ItemCheckpointed, WorkerDraining, WorkerStopped {
  String eventId();

  String workerId();

  InstanceFacts instance();

  Instant at();
}
