package dev.spotbatch.dispatcher.fleet.scaling;

import java.time.Instant;
import java.util.Objects;

/**
 * One worker now.
 *
 * @param id the worker's id, as the capacity provider can remove it (an instance id on AWS)
 * @param pool the {@link PoolSpec#name() pool} it belongs to
 * @param leases the leases it holds
 * @param recordsPerSecond its measured throughput; null: not measured yet
 * @param noticeAt when it received a termination notice (spot, rebalance, lifecycle); null: none
 * @param idleSince since when it holds no lease; null: not idle or unknown
 */
public record WorkerSnapshot(
    String id,
    String pool,
    WorkerPhase phase,
    int leases,
    Double recordsPerSecond,
    Instant noticeAt,
    Instant idleSince) {
  public WorkerSnapshot {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(phase, "phase");
    if (leases < 0) {
      throw new IllegalArgumentException("worker " + id + ": leases must be >= 0");
    }
  }

  /** True when the worker is going away: it got a notice or it drains. */
  public boolean leaving() {
    return noticeAt != null || phase == WorkerPhase.DRAINING;
  }

  /** True when scale-in may take this worker: idle, no lease, no notice. */
  public boolean removable() {
    return phase == WorkerPhase.IDLE && leases == 0 && noticeAt == null;
  }
}
