package dev.spotbatch.dispatcher.fleet.scaling;

/** Why a pool's desired capacity changed; the label for metrics ("decisions by reason"). */
public enum DecisionCause {
  /** More capacity for the backlog, a deadline, the minimum or a stuck queue. */
  SCALE_UP,
  /** Idle workers removed after the need fell and the cool-down passed. */
  SCALE_IN,
  /** A worker got a notice; its replacement launches while it drains. */
  REPLACEMENT,
  /** Workers that were leaving have gone; nothing is removed. */
  DEPARTURE,
  /** A launch failed; pending launches in the pool are cancelled while it is blocked. */
  BLOCKED,
  /** The pool is interrupted too often; pending launches are cancelled. */
  UNRELIABLE,
  /** Spot cannot meet a deadline; on-demand workers beyond the base make up the difference. */
  FALLBACK,
  /** Spot can meet the deadlines again; capacity moves back from on-demand. */
  RETURN_TO_SPOT,
  /**
   * A dated job with slack waits for cheaper hours (the slack policy); nothing launches for it. The
   * pool's capacity does not change: the decision records the wait.
   */
  DEFER,
  /** A job that waited for cheaper hours runs now (its hours came, or its deadline needs it). */
  RESUME,
  /**
   * Busy surplus on-demand workers are asked to stop leasing, so they turn idle and can go; the
   * desired capacity does not change until they do.
   */
  STOP_LEASING
}
