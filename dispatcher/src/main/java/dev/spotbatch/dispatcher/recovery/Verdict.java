package dev.spotbatch.dispatcher.recovery;

/** What one reconciler round decided, and why. */
public enum Verdict {
  /**
   * Worker events are still waiting to be applied (the event consumer has not caught up within an
   * interval): an item whose completion is among them would look lost. Nothing is decided.
   */
  EVENTS_BEHIND,
  /** No running job has an unfinished item. */
  NOTHING_UNFINISHED,
  /**
   * The queue holds at least as many messages (waiting, leased or delayed) as there are unfinished
   * items: nothing is provably lost, and re-sending would only duplicate a backlog.
   */
  QUEUE_HOLDS_THEM,
  /** Messages are missing, but every unfinished item showed a sign of life recently. */
  NONE_STALE,
  /** Messages are missing and some items have been silent too long: re-send those. */
  RESEND
}
