package dev.spotbatch.dispatcher.recovery;

import java.time.Duration;
import java.util.Objects;

/**
 * How the dispatcher recovers lost and dead work.
 *
 * @param lease the workers' lease time ({@code spotbatch.worker.lease-time}): a leased item shows a
 *     sign of life at least this often
 * @param margin added to the lease before an item without a sign of life counts as lost (clock skew
 *     between machines, event lag)
 * @param interval how often the reconciler and the dead-letter sweeper run (also once at start)
 * @param maxResendsPerRound the most items re-sent in one round
 * @param deadLetterBatch dead letters handled per receive
 */
public record RecoverySettings(
    Duration lease,
    Duration margin,
    Duration interval,
    int maxResendsPerRound,
    int deadLetterBatch) {
  public RecoverySettings {
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(margin, "margin");
    Objects.requireNonNull(interval, "interval");
    if (lease.isNegative() || lease.isZero()) {
      throw new IllegalArgumentException("spotbatch.recovery.lease must be > 0, was " + lease);
    }
    if (margin.isNegative()) {
      throw new IllegalArgumentException("spotbatch.recovery.margin must be >= 0, was " + margin);
    }
    if (interval.toMillis() < 100) {
      throw new IllegalArgumentException(
          "spotbatch.recovery.interval must be at least 100ms, was " + interval);
    }
    if (maxResendsPerRound < 1) {
      throw new IllegalArgumentException(
          "spotbatch.recovery.max-resends-per-round must be >= 1, was " + maxResendsPerRound);
    }
    if (deadLetterBatch < 1 || deadLetterBatch > 10) {
      throw new IllegalArgumentException(
          "spotbatch.recovery.dead-letter-batch must be between 1 and 10 (SQS), was "
              + deadLetterBatch);
    }
  }

  /** The defaults: a 60 s lease (the workers' default), 30 s margin, every 15 s. */
  public static RecoverySettings defaults() {
    return new RecoverySettings(
        Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(15), 1000, 10);
  }

  /** How long an unfinished item may go without a sign of life before it counts as lost. */
  public Duration staleAfter() {
    return lease.plus(margin);
  }
}
