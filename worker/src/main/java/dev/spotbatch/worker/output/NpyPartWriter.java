package dev.spotbatch.worker.output;

import dev.spotbatch.model.OutputFormat;
import dev.spotbatch.store.ObjectStore;
import dev.spotbatch.store.StoreUri;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Writes one lease's embeddings as a NumPy {@code .npy} file (little-endian float32, shape {@code
 * (records, dimensions)}, C order: {@code numpy.load} reads it, memory-mapped if asked) and the
 * record ids, row for row, as a JSON-lines sidecar {@code <part>.ids.jsonl} of {@code {"id":..}}
 * (with the record's other fields, for a chain such as clean, chunk, embed). The floats are the
 * model's own bits: no text round trip, 4 bytes per dimension. The {@link
 * dev.spotbatch.model.OutputFormat#NPY} part: for results that are vectors only.
 *
 * <p>The header has a fixed size ({@value #HEADER_BYTES} bytes, as the format allows with space
 * padding) so the rows stream to disk and only the shape is written at the end. The commit puts the
 * ids before the data part, so a committed data part implies its ids exist (as {@link PartWriter}
 * does with its error part). Not thread-safe; close it to remove the temp files.
 */
public final class NpyPartWriter implements ResultPart {
  /** Magic, version 1.0, header length, then the header dict padded to a multiple of 64. */
  static final int HEADER_BYTES = 128;

  private final int dimensions;
  private final Path dataFile;
  private final Path idsFile;
  private final FileChannel data;
  private final BufferedWriter ids;
  private final ByteBuffer row;
  private final PartWriter errors;
  private long records;
  private boolean closed;

  /** Opens temp files in {@code tempDir} for embeddings of {@code dimensions} floats. */
  public NpyPartWriter(Path tempDir, int dimensions) {
    if (dimensions < 1) {
      throw new IllegalArgumentException("dimensions must be >= 1");
    }
    this.dimensions = dimensions;
    this.row = ByteBuffer.allocate(dimensions * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    try {
      Files.createDirectories(tempDir);
      this.dataFile = Files.createTempFile(tempDir, "part-", ".npy");
      this.idsFile = Files.createTempFile(tempDir, "ids-", ".jsonl");
      this.data = FileChannel.open(dataFile, StandardOpenOption.WRITE);
      this.data.position(HEADER_BYTES);
      this.ids = Files.newBufferedWriter(idsFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create temp part in " + tempDir + ": " + e.getMessage(), e);
    }
    // record errors keep the JSON-lines error part of every format
    this.errors = new PartWriter(tempDir);
  }

  /** The ids sidecar of a data part: {@code x.npy} -> {@code x.ids.jsonl}. */
  public static String idsPath(String npyPath) {
    return OutputFormat.idsPath(npyPath);
  }

  /** Appends one row. */
  @Override
  public void write(String id, float[] embedding) {
    StringBuilder line = new StringBuilder(id.length() + 12);
    line.append("{\"id\":");
    Json.quote(line, id);
    line.append("}\n");
    write(id, embedding, line);
  }

  /** Appends one row; {@code fields} become its sidecar line. */
  @Override
  public void write(RecordLine fields, String field, float[] vector) {
    write(fields.id(), vector, fields.end());
  }

  /** Refused: an {@code .npy} part holds vectors only (the dispatcher refuses such jobs). */
  @Override
  public void write(RecordLine line) {
    throw new IllegalStateException(
        "output format npy holds one vector per record; this task's result is not a vector");
  }

  private void write(String id, float[] embedding, CharSequence sidecarLine) {
    if (embedding.length != dimensions) {
      throw new IllegalArgumentException(
          "embedding of record "
              + id
              + " has "
              + embedding.length
              + " dimensions, the part has "
              + dimensions);
    }
    row.clear();
    for (float f : embedding) {
      if (!Float.isFinite(f)) {
        throw new IllegalArgumentException("embedding of record " + id + " has a non-finite value");
      }
      row.putFloat(f);
    }
    row.flip();
    try {
      while (row.hasRemaining()) {
        data.write(row);
      }
      ids.append(sidecarLine);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write temp part: " + e.getMessage(), e);
    }
    records++;
  }

  /** Appends one record-error line to the JSON-lines error part. */
  @Override
  public void error(String id, long offset, String reason) {
    errors.error(id, offset, reason);
  }

  @Override
  public long records() {
    return records;
  }

  @Override
  public long errors() {
    return errors.errors();
  }

  /**
   * Puts the error part (if any), the ids sidecar, then the {@code .npy} data part at {@code
   * outputUri/partPath}; each put is atomic.
   */
  @Override
  public PartWriter.Committed commit(
      ObjectStore store, StoreUri outputUri, String partPath, String errorPath) {
    try {
      data.write(ByteBuffer.wrap(header(records, dimensions)), 0);
      data.close();
      ids.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot finish temp part: " + e.getMessage(), e);
    }
    String committedErrors =
        errors.commitErrorsOnly(store, outputUri, errorPath) ? errorPath : null;
    store.put(outputUri.resolve(idsPath(partPath)), idsFile);
    store.put(outputUri.resolve(partPath), dataFile);
    return new PartWriter.Committed(partPath, records, committedErrors, errors.errors());
  }

  /** The {@value #HEADER_BYTES}-byte NPY 1.0 header for {@code (rows, columns)} float32. */
  static byte[] header(long rows, int columns) {
    String dict =
        String.format(
            Locale.ROOT,
            "{'descr': '<f4', 'fortran_order': False, 'shape': (%d, %d), }",
            rows,
            columns);
    int dictBytes = HEADER_BYTES - 10;
    StringBuilder padded = new StringBuilder(dict);
    while (padded.length() < dictBytes - 1) {
      padded.append(' ');
    }
    padded.append('\n');
    byte[] text = padded.toString().getBytes(StandardCharsets.US_ASCII);
    if (text.length != dictBytes) {
      throw new IllegalStateException("shape too large for the header: " + dict);
    }
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII));
    b.put((byte) 1).put((byte) 0);
    b.putShort((short) dictBytes);
    b.put(text);
    return b.array();
  }

  /** Deletes the temp files; never throws. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    errors.close();
    try {
      data.close();
      ids.close();
    } catch (IOException ignored) {
      // deleting below is what matters
    }
    try {
      Files.deleteIfExists(dataFile);
      Files.deleteIfExists(idsFile);
    } catch (IOException ignored) {
      // temp files only
    }
  }
}
