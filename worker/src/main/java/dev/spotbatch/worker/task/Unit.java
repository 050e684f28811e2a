package dev.spotbatch.worker.task;

/**
 * What the chain's last step works on: a whole input record, or one chunk of it.
 *
 * @param id the output id: the record's id, or {@code <sourceId>#<chunk>} for a chunk
 * @param sourceId the input record's id
 * @param chunk the chunk's position in its record, or -1 when not chunked
 * @param text the (cleaned) text of the record or chunk
 * @param tokens the chunk's tokens, or -1
 * @param start the chunk's first character in the (cleaned) record text, or -1
 * @param end the character after the chunk's last, or -1
 */
public record Unit(
    String id, String sourceId, int chunk, String text, int tokens, int start, int end) {

  static Unit whole(String id, String text) {
    return new Unit(id, id, -1, text, -1, -1, -1);
  }
}
