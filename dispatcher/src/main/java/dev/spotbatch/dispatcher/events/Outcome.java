package dev.spotbatch.dispatcher.events;

/** What applying one event did. */
public enum Outcome {
  /** The event changed the item (and maybe finished the job). */
  APPLIED,
  /** The event was seen before (same event id): nothing changed. */
  DUPLICATE,
  /** The item was already final (or unknown): recorded for cost, otherwise ignored. */
  IGNORED
}
