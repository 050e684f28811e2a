package dev.spotbatch.drain;

/** What a worker does on an advisory notice (an AWS rebalance recommendation). */
public enum RebalancePolicy {
  /** Log it and go on working. */
  IGNORE,
  /**
   * Lease nothing more and report not ready; running items go on; the worker stays (a later notice
   * drains). Leaves a paid machine idle until then.
   */
  STOP_LEASING,
  /**
   * Lease nothing more; once the running items have ended, drain (nothing left to hand back) and
   * exit, so the autoscaler or the group replaces the machine with one at lower risk. The default.
   */
  STOP_LEASING_THEN_EXIT,
  /** Drain as for a termination, with the shutdown grace as the deadline. */
  DRAIN
}
