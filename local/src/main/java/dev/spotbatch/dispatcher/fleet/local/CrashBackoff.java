package dev.spotbatch.dispatcher.fleet.local;

import dev.spotbatch.resilience.Backoff;
import java.time.Duration;

/**
 * How long a worker slot waits before its next process: a short pause after an interruption or
 * after a process that had been healthy, and the shared exponential {@link Backoff} (2, 4, 8, 16,
 * then 30 s) while processes keep dying before they ever answer healthy, so a worker that cannot
 * start does not spin. A pure policy: it returns the wait; the supervisor schedules.
 */
final class CrashBackoff {
  static final Duration AFTER_INTERRUPTION = Duration.ofSeconds(1);
  private static final Backoff CRASHES =
      Backoff.exponential(Duration.ofSeconds(2), Duration.ofSeconds(30));

  private CrashBackoff() {}

  /**
   * The wait after a process ended without being interrupted or stopped.
   *
   * @param crashes consecutive processes of the slot that died before they were ever healthy (0:
   *     the last one had been healthy)
   */
  static Duration afterCrash(int crashes) {
    return crashes <= 0 ? AFTER_INTERRUPTION : CRASHES.delay(crashes);
  }
}
