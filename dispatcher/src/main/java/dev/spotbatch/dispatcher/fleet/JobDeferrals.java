package dev.spotbatch.dispatcher.fleet;

import java.time.Instant;
import java.util.Optional;

/**
 * Which jobs the autoscaler holds back for cheaper hours (its slack policy), for the job view. A
 * held-back job's items wait on the queue on purpose: no capacity is launched for them until {@code
 * until}.
 */
@FunctionalInterface
public interface JobDeferrals {
  /** No autoscaler: nothing is held back. */
  JobDeferrals NONE = jobId -> Optional.empty();

  /** Whether the job is held back, as of the autoscaler's last tick. */
  Optional<Deferral> of(String jobId);

  /**
   * @param until when its first chosen (cheaper) hour starts
   * @param reason the expected prices that made the choice
   */
  record Deferral(Instant until, String reason) {}
}
