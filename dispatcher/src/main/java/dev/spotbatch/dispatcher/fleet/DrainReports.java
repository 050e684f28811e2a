package dev.spotbatch.dispatcher.fleet;

import dev.spotbatch.event.DrainReport;
import dev.spotbatch.event.WorkerDraining;
import dev.spotbatch.event.WorkerStopped;
import dev.spotbatch.model.InstanceFacts;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest drain state each worker reported ({@code WorkerDraining}, then {@code WorkerStopped}),
 * for {@code GET /api/v1/fleet}. The event applier feeds it; the fleet endpoint reads it.
 * Thread-safe.
 */
public final class DrainReports {
  /** What is known of one worker's last drain. */
  public enum Phase {
    DRAINING,
    STOPPED
  }

  /** One worker's last reported drain. */
  public record WorkerDrain(
      String workerId, InstanceFacts instance, Phase phase, DrainReport report, Instant at) {}

  private final Map<String, WorkerDrain> byWorker = new ConcurrentHashMap<>();

  public void apply(WorkerDraining e) {
    DrainReport started =
        new DrainReport(
            e.kind(),
            e.noticeId(),
            e.noticeTime(),
            e.detectedAt(),
            e.deadline(),
            null,
            0,
            0,
            0,
            0,
            null);
    byWorker.merge(
        e.workerId(),
        new WorkerDrain(e.workerId(), e.instance(), Phase.DRAINING, started, e.at()),
        (old, next) -> old.phase() == Phase.STOPPED && !old.at().isBefore(next.at()) ? old : next);
  }

  public void apply(WorkerStopped e) {
    byWorker.put(
        e.workerId(),
        new WorkerDrain(e.workerId(), e.instance(), Phase.STOPPED, e.report(), e.at()));
  }

  public Optional<WorkerDrain> latest(String workerId) {
    return Optional.ofNullable(byWorker.get(workerId));
  }

  public Map<String, WorkerDrain> all() {
    return Map.copyOf(byWorker);
  }
}
