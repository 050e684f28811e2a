package dev.spotbatch.dispatcher.fleet;

/** What a worker of the fleet is doing, as its provider sees it. */
public enum WorkerState {
  RUNNING,
  EXITED,
  STOPPING,
  STOPPED
}
