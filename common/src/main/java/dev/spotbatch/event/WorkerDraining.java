package dev.spotbatch.event;

import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.NoticeKind;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Function;

/** A worker saw a termination notice and started draining; it leases nothing more. */
public record WorkerDraining(
    String eventId,
    String workerId,
    InstanceFacts instance,
    NoticeKind kind,
    String noticeId,
    Instant noticeTime,
    Instant detectedAt,
    Instant deadline,
    Instant at)
    implements WorkerEvent {
  public WorkerDraining {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(workerId, "workerId");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(at, "at");
  }

  @Override
  public <R> R match(
      Function<? super ItemEvent, ? extends R> item,
      Function<? super WorkerDraining, ? extends R> draining,
      Function<? super WorkerStopped, ? extends R> stopped) {
    return draining.apply(this);
  }
}
