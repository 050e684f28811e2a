package dev.spotbatch.drain;

/** What a worker does on an advisory notice (an AWS rebalance recommendation). */
public enum RebalancePolicy {
  /** Log it and go on working. */
  IGNORE,
  /** Lease nothing more and report not ready; running items go on (a later notice drains). */
  STOP_LEASING,
  /** Drain as for a termination, with the shutdown grace as the deadline. */
  DRAIN
}
