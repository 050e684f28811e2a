package dev.spotbatch.worker.item;

import dev.spotbatch.jsonl.Line;
import dev.spotbatch.jsonl.LineRangeReader;
import dev.spotbatch.jsonl.ParsedRecord;
import dev.spotbatch.jsonl.RecordParser;
import dev.spotbatch.worker.inference.Batcher;
import dev.spotbatch.worker.inference.Cancellation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Records read since the last chunk, with the reader position after the last of them, and the
 * embeddings of the good ones once the model ran them.
 */
record Chunk(
    List<ParsedRecord.Good> good,
    List<ParsedRecord.Bad> bad,
    long endPosition,
    CompletableFuture<float[][]> results) {

  /**
   * Reads up to {@code size} good records (and the bad ones among them) and submits the good ones
   * to the batcher; may block while the batcher's queue is full, until the item is cancelled.
   */
  static Chunk read(
      LineRangeReader reader,
      RecordParser parser,
      int size,
      Batcher batcher,
      Cancellation cancellation)
      throws InterruptedException {
    List<ParsedRecord.Good> good = new ArrayList<>(size);
    List<ParsedRecord.Bad> bad = new ArrayList<>();
    while (good.size() < size) {
      Line line = reader.next();
      if (line == null) {
        break;
      }
      ParsedRecord record = parser.parse(line);
      if (record instanceof ParsedRecord.Good g) {
        good.add(g);
      } else {
        bad.add((ParsedRecord.Bad) record);
      }
    }
    List<String> texts = new ArrayList<>(good.size());
    for (ParsedRecord.Good g : good) {
      texts.add(g.text());
    }
    return new Chunk(good, bad, reader.position(), batcher.submit(texts, cancellation));
  }

  /** True past the end of the range: no record of either kind was read. */
  boolean isEmpty() {
    return good.isEmpty() && bad.isEmpty();
  }
}
