package dev.spotbatch.dispatcher.fleet.scaling;

/** What a worker is doing, as far as scaling cares. */
public enum WorkerPhase {
  /** Launched; not ready yet. Counts as capacity that is coming. */
  STARTING,
  /** Ready; whether it is idle is not known yet. Never scaled in. */
  READY,
  /** Holds leases. Never scaled in. */
  BUSY,
  /** Ready, holds no lease and took none for a while. The only phase scale-in picks from. */
  IDLE,
  /** Draining after a notice or a stop. Counts as leaving. */
  DRAINING
}
