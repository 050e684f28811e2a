package dev.spotbatch.dispatcher.fleet;

/** What a worker of the fleet is doing, as its provider sees it. */
public enum WorkerState {
  /** The process runs but has not reported healthy yet. */
  STARTING,
  /** The process runs and reports healthy. */
  RUNNING,
  /** The worker was interrupted (or reports that it drains) and is about to go away. */
  DRAINING,
  /** Stopped on purpose (scale-in or shutdown), or never started. */
  STOPPED,
  /** Exited or was interrupted; a replacement comes on the next supervision round. */
  LOST
}
