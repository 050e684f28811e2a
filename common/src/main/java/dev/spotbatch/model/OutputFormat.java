package dev.spotbatch.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How a job's result parts are written. Chosen per job ({@code "output": {"format": ...}}), carried
 * by every work item; the record-error parts are JSON lines whatever the format.
 */
public enum OutputFormat {
  /** One JSON object per record, {@code {"id":..,"embedding":[..]}}: the default. */
  JSONL("jsonl", ".jsonl"),
  /**
   * The vectors as a NumPy {@code .npy} array (float32, one row per record) and, row for row, the
   * other fields of each record as a JSON-lines sidecar {@code <part>.ids.jsonl}. Only for tasks
   * whose result is one vector per record (embed).
   */
  NPY("npy", ".npy");

  /** The suffix of an {@link #NPY} part's sidecar, which replaces {@code .npy}. */
  public static final String IDS_SUFFIX = ".ids.jsonl";

  private final String id;
  private final String extension;

  OutputFormat(String id, String extension) {
    this.id = id;
    this.extension = extension;
  }

  /** The name jobs use for it, e.g. {@code npy}. */
  public String id() {
    return id;
  }

  /** The suffix of its data parts, with the dot. */
  public String extension() {
    return extension;
  }

  /**
   * The objects one data part at {@code partPath} is made of, the data part last (it is committed
   * last, so its presence implies the others').
   */
  public List<String> partFiles(String partPath) {
    return switch (this) {
      case JSONL -> List.of(partPath);
      case NPY -> List.of(idsPath(partPath), partPath);
    };
  }

  /** The format a data part at {@code partPath} was written in, by its suffix. */
  public static OutputFormat ofPart(String partPath) {
    return partPath.endsWith(NPY.extension) ? NPY : JSONL;
  }

  /** The sidecar of an {@code .npy} part: {@code x.npy} -> {@code x.ids.jsonl}. */
  public static String idsPath(String npyPath) {
    String stem =
        npyPath.endsWith(NPY.extension)
            ? npyPath.substring(0, npyPath.length() - NPY.extension.length())
            : npyPath;
    return stem + IDS_SUFFIX;
  }

  /**
   * The format a job names, case-insensitive; null gives {@link #JSONL}.
   *
   * @throws IllegalArgumentException naming the allowed values
   */
  public static OutputFormat of(String id) {
    if (id == null) {
      return JSONL;
    }
    for (OutputFormat f : values()) {
      if (f.id.equals(id.trim().toLowerCase(Locale.ROOT))) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "unknown output format '" + id + "'; allowed: " + String.join(", ", ids()));
  }

  /** Every format's {@link #id}, the default first. */
  public static List<String> ids() {
    return Arrays.stream(values()).map(OutputFormat::id).toList();
  }
}
