package dev.spotbatch.event;

import dev.spotbatch.model.InstanceFacts;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Function;

/** A worker finished (drained or plainly stopped) and is about to exit. */
public record WorkerStopped(
    String eventId, String workerId, InstanceFacts instance, DrainReport report, Instant at)
    implements WorkerEvent {
  public WorkerStopped {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(workerId, "workerId");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(at, "at");
  }

  @Override
  public <R> R match(
      Function<? super ItemEvent, ? extends R> item,
      Function<? super WorkerDraining, ? extends R> draining,
      Function<? super WorkerStopped, ? extends R> stopped) {
    return stopped.apply(this);
  }
}
