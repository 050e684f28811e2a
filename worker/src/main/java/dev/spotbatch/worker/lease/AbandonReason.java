package dev.spotbatch.worker.lease;

/** Why a worker stopped work on a lease locally without committing it. */
public enum AbandonReason {
  /** The queue said the lease is no longer held. */
  LEASE_LOST,
  /** Extensions kept failing until the lease's deadline passed. */
  DEADLINE_PASSED,
  /** The worker stopped and the shutdown grace ran out. */
  SHUTDOWN
}
