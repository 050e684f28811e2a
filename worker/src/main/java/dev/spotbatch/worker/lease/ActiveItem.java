package dev.spotbatch.worker.lease;

import dev.spotbatch.queue.Lease;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * One lease being worked on, and its progress: records done, the input offset a continuation would
 * start from, and the measured rate. The heartbeat replaces the lease as it extends it; the drain
 * (a later issue) reads the progress to decide between finishing and checkpointing. Thread-safe.
 */
public final class ActiveItem {
  private final Instant startedAt;
  private volatile Lease lease;
  private volatile AbandonReason abandoned;
  private volatile long recordsDone;
  private volatile long errorsDone;
  private volatile long position;

  /** A snapshot of progress. */
  public record Progress(long recordsDone, long errors, long position, double recordsPerSecond) {}

  ActiveItem(Lease lease, Instant startedAt) {
    this.lease = lease;
    this.startedAt = startedAt;
    this.position = lease.item().range().start();
  }

  public Lease lease() {
    return lease;
  }

  public Instant startedAt() {
    return startedAt;
  }

  void extended(Lease next) {
    this.lease = next;
  }

  /** Stops the work locally: the processor checks this between batches and before committing. */
  public void abandon(AbandonReason reason) {
    if (abandoned == null) {
      abandoned = reason;
    }
  }

  public boolean isAbandoned() {
    return abandoned != null;
  }

  public AbandonReason abandonReason() {
    return abandoned;
  }

  /** True while the lease is held: not abandoned and its deadline not passed. */
  public boolean holds(Clock clock) {
    return abandoned == null && clock.instant().isBefore(lease.deadline());
  }

  void progressed(long records, long errors, long nextPosition) {
    this.recordsDone = records;
    this.errorsDone = errors;
    this.position = nextPosition;
  }

  public Progress progress(Clock clock) {
    long done = recordsDone + errorsDone;
    double seconds = Duration.between(startedAt, clock.instant()).toNanos() / 1e9;
    return new Progress(recordsDone, errorsDone, position, seconds > 0 ? done / seconds : 0);
  }
}
