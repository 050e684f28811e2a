package dev.spotbatch.dispatcher.fleet.scaling;

/** Something that happened to a pool. */
public enum IncidentKind {
  /** A worker of the pool was interrupted (notice or loss without one). */
  INTERRUPTION,
  /** The provider failed to launch a worker in the pool (capacity, spot limit, price, config). */
  LAUNCH_FAILURE
}
