package dev.spotbatch.jsonl;

/** A parsed input line: a record to run through the model, or a record error with its reason. */
public sealed interface ParsedRecord {
  /** The record id: the input's id field, or {@code <inputName>:<offset>} when it has none. */
  String id();

  /** Byte offset of the record's line in its input object. */
  long offset();

  /** A record with text to process. */
  record Good(String id, long offset, String text) implements ParsedRecord {}

  /** A record that cannot be processed, and why. */
  record Bad(String id, long offset, String reason) implements ParsedRecord {}
}
