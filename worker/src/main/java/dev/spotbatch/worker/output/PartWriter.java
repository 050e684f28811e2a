package dev.spotbatch.worker.output;

import dev.spotbatch.store.ObjectStore;
import dev.spotbatch.store.StoreUri;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Streams one lease's results to local temp files and commits them to the object store: result
 * lines {@code {"id":<id>,"embedding":[...]}} in input order, and record-error lines {@code
 * {"id":..,"offset":..,"error":"<reason>"}}. {@link #commit} puts the result part (always, even
 * empty) and the error part (only if there were record errors), each with an atomic put. The {@link
 * dev.spotbatch.model.OutputFormat#JSONL} part. Not thread-safe; close it to remove the temp files.
 */
public final class PartWriter implements ResultPart {
  private final Path partFile;
  private final Path errorFile;
  private final java.io.OutputStream parts;
  private BufferedWriter errors;
  private final StringBuilder line = new StringBuilder(64);
  private byte[] bytes = new byte[8192];
  private long records;
  private long errorRecords;
  private boolean closed;

  /** What {@link #commit} wrote; {@code errorPath} is null when there were no record errors. */
  public record Committed(String partPath, long records, String errorPath, long errors) {}

  /** Opens temp files in {@code tempDir}. */
  public PartWriter(Path tempDir) {
    try {
      Files.createDirectories(tempDir);
      this.partFile = Files.createTempFile(tempDir, "part-", ".jsonl");
      this.errorFile = Files.createTempFile(tempDir, "errors-", ".jsonl");
      this.parts = new java.io.BufferedOutputStream(Files.newOutputStream(partFile), 1 << 16);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create temp part in " + tempDir + ": " + e.getMessage(), e);
    }
  }

  /** Appends one result line. */
  @Override
  public void write(String id, float[] embedding) {
    StringBuilder sb = line;
    sb.setLength(0);
    sb.append("{\"id\":");
    Json.quote(sb, id);
    sb.append(",\"embedding\":[");
    // the line is built as bytes, in one buffer per writer: a line of 384 floats is ~4.7 KB of
    // ASCII, and going through chars and an encoder cost a quarter of the item thread's CPU
    int n = put(sb.toString().getBytes(StandardCharsets.UTF_8), 0);
    for (int i = 0; i < embedding.length; i++) {
      float f = embedding[i];
      if (!Float.isFinite(f)) {
        throw new IllegalArgumentException("embedding of record " + id + " has a non-finite value");
      }
      if (i > 0) {
        n = putAscii(",", n);
      }
      n = putAscii(FloatText.of(f), n);
    }
    n = putAscii("]}\n", n);
    try {
      parts.write(bytes, 0, n);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write temp part: " + e.getMessage(), e);
    }
    records++;
  }

  /** Appends {@code fields} with the vector as one more field: one line. */
  @Override
  public void write(RecordLine fields, String field, float[] vector) {
    write(fields.vector(field, vector));
  }

  /** Appends one result line built by a {@link RecordLine}. */
  @Override
  public void write(RecordLine line) {
    byte[] b = line.end().getBytes(StandardCharsets.UTF_8);
    try {
      parts.write(b, 0, b.length);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write temp part: " + e.getMessage(), e);
    }
    records++;
  }

  private int put(byte[] b, int at) {
    ensure(at + b.length);
    System.arraycopy(b, 0, bytes, at, b.length);
    return at + b.length;
  }

  /** Copies a text of ASCII characters only (float texts, punctuation) byte for byte. */
  private int putAscii(String s, int at) {
    int len = s.length();
    ensure(at + len);
    for (int i = 0; i < len; i++) {
      bytes[at + i] = (byte) s.charAt(i);
    }
    return at + len;
  }

  private void ensure(int size) {
    if (bytes.length < size) {
      bytes = java.util.Arrays.copyOf(bytes, Math.max(size, bytes.length * 2));
    }
  }

  /** Appends one record-error line. */
  @Override
  public void error(String id, long offset, String reason) {
    StringBuilder sb = new StringBuilder(64);
    sb.append("{\"id\":");
    Json.quote(sb, id);
    sb.append(",\"offset\":").append(offset).append(",\"error\":");
    Json.quote(sb, reason);
    sb.append("}\n");
    try {
      if (errors == null) {
        errors = Files.newBufferedWriter(errorFile, StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + errorFile + ": " + e.getMessage(), e);
    }
    append(errors, sb);
    errorRecords++;
  }

  @Override
  public long records() {
    return records;
  }

  @Override
  public long errors() {
    return errorRecords;
  }

  /**
   * Puts the result part at {@code outputUri/partPath} and, if there were record errors, the error
   * part at {@code outputUri/errorPath}. Each put is atomic; the error part goes first so that a
   * committed result part implies its error part exists.
   */
  @Override
  public Committed commit(
      ObjectStore store, StoreUri outputUri, String partPath, String errorPath) {
    try {
      parts.close();
      if (errors != null) {
        errors.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot finish temp part: " + e.getMessage(), e);
    }
    String committedErrors = null;
    if (errorRecords > 0) {
      store.put(outputUri.resolve(errorPath), errorFile);
      committedErrors = errorPath;
    }
    store.put(outputUri.resolve(partPath), partFile);
    return new Committed(partPath, records, committedErrors, errorRecords);
  }

  /**
   * Puts only the error part, if there were record errors: for a format that writes its results
   * elsewhere ({@link NpyPartWriter}).
   *
   * @return whether an error part was put
   */
  public boolean commitErrorsOnly(ObjectStore store, StoreUri outputUri, String errorPath) {
    try {
      parts.close();
      if (errors != null) {
        errors.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot finish temp error part: " + e.getMessage(), e);
    }
    if (errorRecords == 0) {
      return false;
    }
    store.put(outputUri.resolve(errorPath), errorFile);
    return true;
  }

  /** Deletes the temp files; never throws. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      parts.close();
      if (errors != null) {
        errors.close();
      }
    } catch (IOException ignored) {
      // deleting below is what matters
    }
    try {
      Files.deleteIfExists(partFile);
      Files.deleteIfExists(errorFile);
    } catch (IOException ignored) {
      // temp files only
    }
  }

  private static void append(BufferedWriter w, CharSequence line) {
    try {
      w.append(line);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write temp part: " + e.getMessage(), e);
    }
  }
}
