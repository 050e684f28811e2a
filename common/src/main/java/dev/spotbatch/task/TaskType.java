package dev.spotbatch.task;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** One step a record can go through; a job chains them, e.g. {@code clean, chunk, embed}. */
public enum TaskType {
  /** Normalise text, drop records that fail the filters or repeat one already seen. */
  CLEAN(false),
  /** Split text into chunks of at most N tokens on sentence boundaries, with an overlap. */
  CHUNK(false),
  /** One embedding vector per record (or chunk). */
  EMBED(true),
  /** Top-k labels with scores: a classification model, or zero-shot with an embedding model. */
  CLASSIFY(true),
  /** Top-k of a small query set by cosine similarity of embeddings. */
  SIMILARITY(true),
  /** A Java translator plugin found in the worker's plugin directory. */
  PLUGIN(false);

  private final boolean needsModel;

  TaskType(boolean needsModel) {
    this.needsModel = needsModel;
  }

  /** Whether the task runs a model (and so the job must name one). */
  public boolean needsModel() {
    return needsModel;
  }

  /** Whether the task ends a chain (produces the record's result rather than a new text). */
  public boolean terminal() {
    return this == EMBED || this == CLASSIFY || this == SIMILARITY || this == PLUGIN;
  }

  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The task of that name (case-insensitive).
   *
   * @throws IllegalArgumentException naming the known tasks
   */
  @JsonCreator
  public static TaskType of(String name) {
    for (TaskType t : values()) {
      if (t.id().equalsIgnoreCase(name == null ? "" : name.trim())) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown task '" + name + "'; known tasks: " + known());
  }

  /** The known task names, comma-separated. */
  public static String known() {
    return Arrays.stream(values()).map(TaskType::id).collect(Collectors.joining(", "));
  }
}
