package dev.spotbatch.dispatcher.fleet.scaling;

/** Whether a pool may get new workers. */
public enum PoolStanding {
  USABLE,
  /** A launch failed recently; no new workers until the block expires. */
  BLOCKED,
  /** A spot pool interrupted more often than the threshold; no new workers. */
  UNRELIABLE
}
