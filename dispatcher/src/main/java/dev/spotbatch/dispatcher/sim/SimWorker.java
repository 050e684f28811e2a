package dev.spotbatch.dispatcher.sim;

import dev.spotbatch.dispatcher.fleet.scaling.WorkerPhase;
import dev.spotbatch.dispatcher.fleet.scaling.WorkerSnapshot;
import java.time.Duration;
import java.time.Instant;

/** One simulated machine and the worker on it: at most one item at a time. */
final class SimWorker {
  final String id;
  final ScenarioPool pool;
  final Instant launchedAt;
  final double recordsPerSecond;
  Instant readyAt;
  WorkerPhase phase = WorkerPhase.STARTING;
  SimItem item;
  Instant itemStartedAt;

  /** Changes whenever the item changes, so events planned for an earlier item are ignored. */
  long epoch;

  Instant noticeAt;
  Instant idleSince;
  boolean measured;

  SimWorker(String id, ScenarioPool pool, Instant launchedAt, double recordsPerSecond) {
    this.id = id;
    this.pool = pool;
    this.launchedAt = launchedAt;
    this.recordsPerSecond = recordsPerSecond;
  }

  boolean leaving() {
    return noticeAt != null;
  }

  boolean takesWork() {
    return phase != WorkerPhase.STARTING && noticeAt == null && item == null;
  }

  /** Records of the current item processed by {@code at}. */
  long done(Instant at) {
    if (item == null) {
      return 0;
    }
    double seconds = Duration.between(itemStartedAt, at).toNanos() / 1e9;
    return Math.max(0, Math.min(item.records(), (long) Math.floor(seconds * recordsPerSecond)));
  }

  /** When the item's records are all processed (its commit comes after). */
  Instant processedAt(long records) {
    return itemStartedAt.plusNanos((long) Math.ceil(records / recordsPerSecond * 1e9));
  }

  WorkerSnapshot snapshot() {
    return new WorkerSnapshot(
        id,
        pool.name(),
        phase,
        item == null ? 0 : 1,
        measured ? recordsPerSecond : null,
        noticeAt,
        phase == WorkerPhase.IDLE ? idleSince : null);
  }
}
