package dev.spotbatch.worker.task;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Who kept a cleaned text first: the {@code clean} task's exact-duplicate check. A record claims
 * the hash of its cleaned text; the first record to claim a hash keeps its text, every other record
 * with that hash is a duplicate of it. A record is known by where it starts (its input object and
 * byte offset), so a record read again (a retry, a continuation after a checkpoint) finds its own
 * claim and keeps its text: exactly one record of each text is kept, however often items run.
 */
public interface ContentClaims {

  /**
   * Claims {@code hash} for the record.
   *
   * @param recordId the record's id (named in the duplicates' reason)
   * @param offset the record's byte offset in the item's input object
   * @return empty if the record keeps its text, else the id of the record that has it
   */
  Optional<String> claim(String hash, String recordId, long offset);

  /** Claims held in memory: duplicates among the records of one run (one part) only. */
  static ContentClaims inMemory() {
    Map<String, Long> offsets = new HashMap<>();
    Map<String, String> ids = new HashMap<>();
    return (hash, recordId, offset) -> {
      Long first = offsets.putIfAbsent(hash, offset);
      if (first == null) {
        ids.put(hash, recordId);
        return Optional.empty();
      }
      return first == offset ? Optional.empty() : Optional.of(ids.get(hash));
    };
  }
}
