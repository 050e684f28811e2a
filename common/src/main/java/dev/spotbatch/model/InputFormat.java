package dev.spotbatch.model;

/** Input formats a worker can read. */
public enum InputFormat {
  /** One JSON object per line, UTF-8. */
  JSONL
}
