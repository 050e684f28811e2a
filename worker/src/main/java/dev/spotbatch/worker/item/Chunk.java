package dev.spotbatch.worker.item;

import dev.spotbatch.jsonl.Line;
import dev.spotbatch.jsonl.LineRangeReader;
import dev.spotbatch.jsonl.ParsedRecord;
import dev.spotbatch.jsonl.RecordParser;
import dev.spotbatch.worker.inference.Cancellation;
import dev.spotbatch.worker.task.TaskPlan;
import dev.spotbatch.worker.task.Unit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records read since the last chunk, with the reader position after the last of them: the units the
 * task chain made of the good ones (records, or their chunks), the records it dropped and the
 * unparseable ones, and the model's vectors for the units once it ran them. A chunk always ends on
 * a record boundary of the input, so checkpoints do too. When the model fails on the chunk, {@link
 * RecordIsolation} bisects it: a unit the model fails on alone gets a null vector and its reason in
 * {@code rejected} (by unit index); its input record ({@code sources}, by unit index) is written as
 * a record error.
 */
record Chunk(
    List<Unit> units,
    List<ParsedRecord.Good> sources,
    List<ParsedRecord.Bad> bad,
    long endPosition,
    CompletableFuture<float[][]> results,
    Map<Integer, String> rejected,
    boolean empty) {

  /**
   * Reads up to {@code size} good records (and the bad ones among them), prepares them with the
   * plan and submits the units to the model; may block while the batcher's queue is full, until the
   * item is cancelled.
   */
  static Chunk read(
      LineRangeReader reader,
      RecordParser parser,
      int size,
      TaskPlan plan,
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
    TaskPlan.Prepared prepared = plan.prepare(good);
    if (!prepared.dropped().isEmpty()) {
      bad.addAll(prepared.dropped());
      bad.sort(Comparator.comparingLong(ParsedRecord.Bad::offset)); // in input order
    }
    Map<Integer, String> rejected = new ConcurrentHashMap<>();
    CompletableFuture<float[][]> results =
        RecordIsolation.isolating(
            plan.submit(prepared.units(), cancellation),
            plan,
            prepared.units(),
            cancellation,
            rejected);
    return new Chunk(
        prepared.units(),
        prepared.sources(),
        bad,
        reader.position(),
        results,
        rejected,
        good.isEmpty() && bad.isEmpty());
  }

  /** True past the end of the range: no record of either kind was read. */
  boolean isEmpty() {
    return empty;
  }
}
