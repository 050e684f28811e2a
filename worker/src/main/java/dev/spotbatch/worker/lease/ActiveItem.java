package dev.spotbatch.worker.lease;

import dev.spotbatch.drain.DrainDecision;
import dev.spotbatch.queue.Lease;
import dev.spotbatch.worker.inference.Cancellation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One lease being worked on, and its progress: records done, the input offset a continuation would
 * start from, and the measured rate. The heartbeat replaces the lease as it extends it; the drain
 * reads the progress, sets a {@link DrainDecision}, and takes back a lease on which no record is
 * written yet.
 *
 * <p>Exactly one party ends each lease. Until its first record is written the lease may be taken
 * back by the drain ({@link #takeBack}); the item thread claims it ({@link #own}) before it writes
 * a record or touches the lease, and whichever of the two compare-and-sets wins ends the lease. A
 * stop (a checkpoint or hand-back decision, a take-back, an abandon) raises the item's {@link
 * Cancellation}, so its queued records are dropped by the batcher and its thread wakes at once.
 * Thread-safe.
 */
public final class ActiveItem {
  /** Where the work on the lease is. */
  public enum State {
    /** Leased, its item thread has not started on it. */
    QUEUED,
    /** The item thread works on it but has written no record: the drain may still take it back. */
    STARTED,
    /** The item thread owns the lease: it wrote a record or is ending the lease itself. */
    RUNNING,
    /** The drain took it back before any record was written; the drain ends the lease. */
    TAKEN_BACK
  }

  private final Instant startedAt;
  private final AtomicReference<State> state = new AtomicReference<>(State.QUEUED);
  private volatile Lease lease;
  private volatile AbandonReason abandoned;
  private volatile boolean jobCancelled;
  private volatile DrainDecision decision;
  private volatile long recordsDone;
  private volatile long errorsDone;
  private volatile long position;
  private volatile ItemOutcome outcome;
  private volatile Instant endedAt;
  private final Cancellation cancellation = new Cancellation();

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

  /** The item thread starts on the lease; false if the drain took it back first. */
  public boolean begin() {
    return state.compareAndSet(State.QUEUED, State.STARTED);
  }

  /**
   * The item thread claims the lease before it writes a record or ends the lease; false if the
   * drain took it back (then the thread must not touch the lease).
   */
  public boolean own() {
    return state.compareAndSet(State.STARTED, State.RUNNING) || state.get() == State.RUNNING;
  }

  /**
   * The drain claims a lease on which no record is written yet (queued, or started with nothing
   * written); false if the item thread owns it. On success the caller ends the lease, and the item
   * is cancelled: its queued records are dropped and its thread stops without touching the lease.
   */
  public boolean takeBack() {
    boolean taken =
        state.compareAndSet(State.QUEUED, State.TAKEN_BACK)
            || state.compareAndSet(State.STARTED, State.TAKEN_BACK);
    if (taken) {
      cancellation.cancel();
    }
    return taken;
  }

  /** Raised when the item should stop: its batcher records are dropped, its waits end. */
  public Cancellation cancellation() {
    return cancellation;
  }

  public State state() {
    return state.get();
  }

  /**
   * Sets the drain decision. Stopping is sticky: once told to checkpoint or hand back, an item is
   * never told to finish again.
   */
  public void decide(DrainDecision next) {
    synchronized (this) {
      if (decision == null || decision == DrainDecision.FINISH) {
        decision = next;
      }
    }
    if (stopRequested()) {
      cancellation.cancel(); // outside the lock: it runs the batcher's drop on this thread
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

  /**
   * The item's job was cancelled: its queued records are dropped and its thread stops at the next
   * chunk without writing anything more.
   */
  public void cancelJob() {
    jobCancelled = true;
    cancellation.cancel();
  }

  /** True once {@link #cancelJob} was called. */
  public boolean isJobCancelled() {
    return jobCancelled;
  }

  /** Stops the work locally: the processor checks this between batches and before committing. */
  public void abandon(AbandonReason reason) {
    if (abandoned == null) {
      abandoned = reason;
    }
    cancellation.cancel();
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

  /** The item thread wrote records up to {@code nextPosition} (a record boundary). */
  public void progressed(long records, long errors, long nextPosition) {
    this.recordsDone = records;
    this.errorsDone = errors;
    this.position = nextPosition;
  }

  public Progress progress(Clock clock) {
    long done = recordsDone + errorsDone;
    double seconds = Duration.between(startedAt, clock.instant()).toNanos() / 1e9;
    return new Progress(recordsDone, errorsDone, position, seconds > 0 ? done / seconds : 0);
  }

  /**
   * The item thread is done: records how its work ended, unless the drain took the lease back (the
   * drain records that outcome once the lease is back on the queue).
   */
  void threadEnded(ItemOutcome how, Instant at) {
    if (state.get() != State.TAKEN_BACK) {
      ended(how, at);
    }
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
