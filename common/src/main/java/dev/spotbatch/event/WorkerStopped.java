package dev.spotbatch.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.spotbatch.model.InstanceFacts;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A worker finished (drained or plainly stopped) and is about to exit. It reports its machine time
 * for cost: from {@code startedAt} to {@code at}.
 *
 * @param startedAt when the worker's process started (null from an older writer)
 * @param pool the pool the worker was launched into, when it knows (null: derive it from {@code
 *     instance})
 * @param lost leases whose work is lost (abandoned in the drain); never null, empty from an older
 *     writer
 */
public record WorkerStopped(
    String eventId,
    String workerId,
    InstanceFacts instance,
    DrainReport report,
    Instant at,
    @JsonInclude(JsonInclude.Include.NON_NULL) Instant startedAt,
    @JsonInclude(JsonInclude.Include.NON_NULL) String pool,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<LostLease> lost)
    implements WorkerEvent {
  public WorkerStopped {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(workerId, "workerId");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(at, "at");
    lost = lost == null ? List.of() : List.copyOf(lost);
  }

  /** A stop without machine-time facts (as older workers sent it). */
  public WorkerStopped(
      String eventId, String workerId, InstanceFacts instance, DrainReport report, Instant at) {
    this(eventId, workerId, instance, report, at, null, null, List.of());
  }

  @Override
  public <R> R match(
      Function<? super ItemEvent, ? extends R> item,
      Function<? super WorkerDraining, ? extends R> draining,
      Function<? super WorkerStopped, ? extends R> stopped) {
    return stopped.apply(this);
  }
}
