package dev.spotbatch.event;

import dev.spotbatch.model.ByteRange;
import java.util.Objects;

/**
 * A committed output part.
 *
 * @param path relative to the job's output URI
 * @param records number of records (lines) in the part
 * @param range the input bytes whose records the part holds
 */
public record PartRef(String path, long records, ByteRange range) {
  public PartRef {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(range, "range");
    if (records < 0) {
      throw new IllegalArgumentException("records must be >= 0");
    }
  }
}
