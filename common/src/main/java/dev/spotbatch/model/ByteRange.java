package dev.spotbatch.model;

/**
 * A half-open byte range {@code [start, end)} of an input object. A reader of the range owns every
 * line that <em>starts</em> inside it (the Hadoop line-split rule), so adjacent ranges never lose
 * or repeat a line.
 */
public record ByteRange(long start, long end) {
  public ByteRange {
    if (start < 0) {
      throw new IllegalArgumentException("range start must be >= 0, was " + start);
    }
    if (end < start) {
      throw new IllegalArgumentException("range end " + end + " is before its start " + start);
    }
  }

  public long length() {
    return end - start;
  }

  public boolean isEmpty() {
    return start == end;
  }

  /** The rest of this range from {@code offset} on (a continuation after a checkpoint). */
  public ByteRange from(long offset) {
    if (offset < start || offset > end) {
      throw new IllegalArgumentException(offset + " is outside " + this);
    }
    return new ByteRange(offset, end);
  }

  @Override
  public String toString() {
    return "[" + start + "," + end + ")";
  }
}
