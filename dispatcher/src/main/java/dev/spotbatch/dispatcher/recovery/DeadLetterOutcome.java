package dev.spotbatch.dispatcher.recovery;

/** What handling one dead letter did (the {@code outcome} tag of its counter). */
public enum DeadLetterOutcome {
  /** The item was unfinished and is now FAILED with the dead letter's reason. */
  FAILED,
  /** The item was already final (a duplicate that finished elsewhere): nothing changed. */
  ALREADY_FINAL,
  /** No such item in the job store (another deployment's queue, or a deleted job). */
  UNKNOWN_ITEM,
  /** The message could not be decoded as a work item. */
  UNDECODABLE
}
