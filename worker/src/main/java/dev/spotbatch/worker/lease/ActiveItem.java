package dev.spotbatch.worker.lease;

import dev.spotbatch.queue.Lease;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One lease being worked on, and its progress: records done, the input offset a continuation would
 * start from, and the measured rate. The heartbeat replaces the lease as it extends it; the drain
 * reads the progress, sets a {@link DrainDecision}, and takes back a lease whose work has not
 * started. Thread-safe.
 */
public final class ActiveItem {
  /** Where the work on the lease is. */
  public enum State {
    /** Leased, its item thread has not started on it. */
    QUEUED,
    /** The processor is working on it. */
    RUNNING,
    /** The drain took it back before it started. */
    TAKEN_BACK
  }

  private final Instant startedAt;
  private final AtomicReference<State> state = new AtomicReference<>(State.QUEUED);
  private volatile Lease lease;
  private volatile AbandonReason abandoned;
  private volatile DrainDecision decision;
  private volatile long recordsDone;
  private volatile long errorsDone;
  private volatile long position;
  private volatile ItemOutcome outcome;
  private volatile Instant endedAt;

  /**
   * A snapshot of progress.
   *
   * @param recordsDone good records written
   * @param errors record errors written
   * @param position input offset of the next unread record (a record boundary)
   * @param recordsPerSecond (records + errors) per second since the work started
   */
  public record Progress(long recordsDone, long errors, long position, double recordsPerSecond) {
    /** Records of either kind done. */
    public long total() {
      return recordsDone + errors;
    }
  }

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

  /** The processor claims the lease; false if the drain took it back first. */
  boolean begin() {
    return state.compareAndSet(State.QUEUED, State.RUNNING);
  }

  /** The drain claims a lease whose work has not started; false if it has. */
  public boolean takeBack() {
    return state.compareAndSet(State.QUEUED, State.TAKEN_BACK);
  }

  public State state() {
    return state.get();
  }

  /**
   * Sets the drain decision. Stopping is sticky: once told to checkpoint or hand back, an item is
   * never told to finish again.
   */
  public synchronized void decide(DrainDecision next) {
    if (decision == null || decision == DrainDecision.FINISH) {
      decision = next;
    }
  }

  public DrainDecision decision() {
    return decision;
  }

  /** True once the drain asked the item to stop at the next chunk boundary. */
  public boolean stopRequested() {
    DrainDecision d = decision;
    return d == DrainDecision.CHECKPOINT || d == DrainDecision.HAND_BACK;
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

  /** Records how the work ended; the first call wins. */
  public synchronized void ended(ItemOutcome how, Instant at) {
    if (outcome == null) {
      outcome = how;
      endedAt = at;
    }
  }

  /** How the work ended, or null while it goes on. */
  public ItemOutcome outcome() {
    return outcome;
  }

  public Instant endedAt() {
    return endedAt;
  }
}
