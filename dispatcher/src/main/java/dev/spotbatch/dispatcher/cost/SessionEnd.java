package dev.spotbatch.dispatcher.cost;

/** How a machine's time ended, as far as the dispatcher knows. */
public enum SessionEnd {
  /** Still running: its time so far counts up to now. */
  RUNNING,
  /** It stopped on its own or drained after a notice, and said so ({@code WorkerStopped}). */
  STOPPED,
  /** It vanished without a {@code WorkerStopped}: killed, crashed, or killed at its deadline. */
  LOST
}
