package dev.spotbatch.worker.inference;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A smooth cap on records per second: each {@link #reserve} books its records back to back on a
 * timeline and returns how long the caller must wait before its turn. Pure: the caller sleeps, and
 * the time source is injected so tests run without waiting.
 */
public final class RecordRate {
  private final double nanosPerRecord;
  private final LongSupplier nanoTime;
  private long nextFree;
  private boolean started;

  /**
   * @param recordsPerSecond the cap, > 0
   * @param nanoTime a monotonic clock in nanoseconds (e.g. {@code System::nanoTime})
   */
  public RecordRate(double recordsPerSecond, LongSupplier nanoTime) {
    if (!(recordsPerSecond > 0) || Double.isInfinite(recordsPerSecond)) {
      throw new IllegalArgumentException(
          "records per second must be a positive number, was " + recordsPerSecond);
    }
    this.nanosPerRecord = 1e9 / recordsPerSecond;
    this.nanoTime = nanoTime;
  }

  /**
   * Books {@code records} and returns how long to wait before running them: zero when the timeline
   * is free, else until the records booked before are due. Unused time is not saved up, so an idle
   * spell never allows a burst above the cap.
   */
  public synchronized Duration reserve(int records) {
    long now = nanoTime.getAsLong();
    if (!started || nextFree - now < 0) {
      nextFree = now;
      started = true;
    }
    long wait = nextFree - now;
    nextFree += Math.round(records * nanosPerRecord);
    return Duration.ofNanos(wait);
  }
}
