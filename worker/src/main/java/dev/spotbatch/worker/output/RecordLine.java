package dev.spotbatch.worker.output;

import java.util.List;

/**
 * Builds one output line, a flat JSON object, field by field in the order given (tasks other than a
 * plain embed write these). Not thread-safe; one per line.
 */
public final class RecordLine {
  private final StringBuilder sb = new StringBuilder(128);
  private final String id;

  /** A line starting with {@code "id"}. */
  public RecordLine(String id) {
    this.id = id;
    sb.append("{\"id\":");
    Json.quote(sb, id);
  }

  public RecordLine text(String name, String value) {
    sb.append(",\"").append(name).append("\":");
    Json.quote(sb, value);
    return this;
  }

  public RecordLine number(String name, long value) {
    sb.append(",\"").append(name).append("\":").append(value);
    return this;
  }

  /** A float vector; a non-finite value is refused. */
  public RecordLine vector(String name, float[] values) {
    sb.append(",\"").append(name).append("\":[");
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      if (!Float.isFinite(values[i])) {
        throw new IllegalArgumentException(name + " has a non-finite value");
      }
      FloatText.append(sb, values[i]);
    }
    sb.append(']');
    return this;
  }

  /** A list of {@code {"<key>": name, "score": s}}, best first. */
  public RecordLine scores(String name, String key, List<Scored> scored) {
    sb.append(",\"").append(name).append("\":[");
    for (int i = 0; i < scored.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append("{\"").append(key).append("\":");
      Json.quote(sb, scored.get(i).name());
      sb.append(",\"score\":");
      float score = scored.get(i).score();
      if (Float.isFinite(score)) {
        FloatText.append(sb, score);
      } else {
        sb.append(Float.toString(score)); // as before: a non-finite score is the caller's bug
      }
      sb.append('}');
    }
    sb.append(']');
    return this;
  }

  /** A field whose value is already JSON (a plugin's result). */
  public RecordLine raw(String name, String json) {
    sb.append(",\"").append(name).append("\":").append(json);
    return this;
  }

  /** The record's id, as given. */
  public String id() {
    return id;
  }

  /** One name with its score. */
  public record Scored(String name, float score) {}

  /** The line, with its newline. */
  public String end() {
    return sb.append("}\n").toString();
  }
}
