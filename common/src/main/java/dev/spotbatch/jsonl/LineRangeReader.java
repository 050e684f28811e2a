package dev.spotbatch.jsonl;

import dev.spotbatch.model.ByteRange;
import dev.spotbatch.store.ObjectStore;
import dev.spotbatch.store.StoreUri;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Reads the lines of one object that <em>start</em> inside a byte range (the Hadoop/Spark
 * line-split rule): the reader skips the partial line at the start of its range (it belongs to the
 * previous range) and reads past its end to finish the last line it owns. Adjacent ranges therefore
 * read every line exactly once. Blank lines are skipped.
 *
 * <p>Reads in ranged chunks, so a range costs about its own size plus one line of I/O, not the
 * object's size. Not thread-safe.
 */
public final class LineRangeReader implements Closeable {
  private static final int DEFAULT_CHUNK = 1 << 20;
  private static final int READAHEAD = 64 << 10;

  private final ObjectStore store;
  private final StoreUri uri;
  private final ByteRange range;
  private final int chunk;

  private InputStream in;
  private long streamPos; // object offset of the next byte `in` returns
  private long chunkEnd; // exclusive end of the chunk `in` was opened for
  private boolean eof;
  private long pos; // object offset of the next line start
  private boolean started;
  private final byte[] buf = new byte[8192];
  private int bufPos;
  private int bufLen;

  public LineRangeReader(ObjectStore store, StoreUri uri, ByteRange range) {
    this(store, uri, range, DEFAULT_CHUNK);
  }

  LineRangeReader(ObjectStore store, StoreUri uri, ByteRange range, int chunk) {
    this.store = store;
    this.uri = uri;
    this.range = range;
    this.chunk = chunk;
    this.pos = range.start();
  }

  /**
   * The offset where the next unread line this reader would return starts: a continuation that
   * starts here reads exactly the lines this reader has not returned yet.
   */
  public long position() {
    // the last owned line may end past the range; nothing owned is left then, and a continuation
    // must still be a valid sub-range (ByteRange.from rejects an offset past the end)
    return Math.min(pos, range.end());
  }

  /** The next owned, non-blank line, or {@code null} when the range is exhausted. */
  public Line next() {
    try {
      if (!started) {
        started = true;
        if (range.isEmpty()) {
          return null;
        }
        open(range.start() == 0 ? 0 : range.start() - 1);
        if (range.start() > 0) {
          // the line at `start` is ours only if the byte before it ends a line
          int b = read();
          if (b < 0) {
            pos = range.end();
            return null;
          }
          if (b != '\n') {
            long skipped = skipLine();
            if (skipped < 0) {
              pos = Math.max(range.end(), streamPosition());
              return null;
            }
          }
          pos = streamPosition();
        }
      }
      while (pos < range.end()) {
        long lineStart = streamPosition();
        ByteArrayOutputStream line = readLine();
        if (line == null) {
          pos = Math.max(pos, range.end());
          return null;
        }
        long next = streamPosition();
        pos = next;
        byte[] bytes = trimCr(line);
        if (isBlank(bytes)) {
          continue;
        }
        return new Line(lineStart, next, bytes);
      }
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + uri + " " + range + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    if (in != null) {
      try {
        in.close();
      } catch (IOException ignored) {
        // nothing to do: the stream is read-only
      }
      in = null;
    }
  }

  private long streamPosition() {
    return streamPos - (bufLen - bufPos);
  }

  private void open(long from) {
    close();
    long end = from < range.end() ? range.end() + Math.min(chunk, READAHEAD) : from + chunk;
    in = store.read(uri, from, end);
    streamPos = from;
    chunkEnd = end;
    bufPos = 0;
    bufLen = 0;
  }

  private int read() throws IOException {
    if (bufPos == bufLen && !fill()) {
      return -1;
    }
    return buf[bufPos++] & 0xff;
  }

  private boolean fill() throws IOException {
    while (true) {
      if (eof) {
        return false;
      }
      int n = in.read(buf, 0, buf.length);
      if (n > 0) {
        bufPos = 0;
        bufLen = n;
        streamPos += n;
        return true;
      }
      // this chunk is done: a short chunk means the object ended
      if (streamPos < chunkEnd) {
        eof = true;
        return false;
      }
      long from = streamPos;
      open(from);
    }
  }

  /** Skips to just after the next '\n'; returns bytes skipped, or -1 at end of object. */
  private long skipLine() throws IOException {
    long n = 0;
    while (true) {
      if (bufPos == bufLen && !fill()) {
        return -1;
      }
      for (int i = bufPos; i < bufLen; i++) {
        if (buf[i] == '\n') {
          n += i - bufPos + 1;
          bufPos = i + 1;
          return n;
        }
      }
      n += bufLen - bufPos;
      bufPos = bufLen;
    }
  }

  /** Reads up to and including '\n'; returns the line without it, or null at end of object. */
  private ByteArrayOutputStream readLine() throws IOException {
    ByteArrayOutputStream out = null;
    while (true) {
      if (bufPos == bufLen && !fill()) {
        return out == null || out.size() == 0 ? null : out;
      }
      if (out == null) {
        out = new ByteArrayOutputStream(256);
      }
      for (int i = bufPos; i < bufLen; i++) {
        if (buf[i] == '\n') {
          out.write(buf, bufPos, i - bufPos);
          bufPos = i + 1;
          return out;
        }
      }
      out.write(buf, bufPos, bufLen - bufPos);
      bufPos = bufLen;
    }
  }

  private static byte[] trimCr(ByteArrayOutputStream line) {
    byte[] bytes = line.toByteArray();
    if (bytes.length > 0 && bytes[bytes.length - 1] == '\r') {
      return java.util.Arrays.copyOf(bytes, bytes.length - 1);
    }
    return bytes;
  }

  private static boolean isBlank(byte[] bytes) {
    for (byte b : bytes) {
      if (b != ' ' && b != '\t') {
        return false;
      }
    }
    return true;
  }
}
