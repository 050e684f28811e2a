package dev.spotbatch.worker.output;

import dev.spotbatch.store.ObjectStore;
import dev.spotbatch.store.StoreUri;

/**
 * One lease's results on their way to the object store, in the job's output format: the pipeline
 * writes each record's result and record error into it, the committer commits it under the item's
 * deterministic part name (a re-run of the same range overwrites the same objects with the same
 * content). Record errors are JSON lines in every format. {@link ResultParts} opens the one an item
 * needs. Not thread-safe; close it to remove its temp files.
 */
public interface ResultPart extends AutoCloseable {

  /** Appends a record of the original shape: its id and its embedding. */
  void write(String id, float[] embedding);

  /** Appends a record whose result is a vector, with its other fields ({@code field} names it). */
  void write(RecordLine fields, String field, float[] vector);

  /**
   * Appends a record whose result is not a vector (scores, a plugin's result, a chunk's text).
   *
   * @throws IllegalStateException in a format that holds vectors only
   */
  void write(RecordLine line);

  /** Appends one record error. */
  void error(String id, long offset, String reason);

  /** Records written so far. */
  long records();

  /** Record errors written so far. */
  long errors();

  /**
   * Puts the error part (if there were record errors), then the result part's objects at {@code
   * outputUri/partPath}, the data object last; each put is atomic, so a committed data object
   * implies the rest of its part exists.
   */
  PartWriter.Committed commit(
      ObjectStore store, StoreUri outputUri, String partPath, String errorPath);

  /** Deletes the temp files; never throws. */
  @Override
  void close();
}
