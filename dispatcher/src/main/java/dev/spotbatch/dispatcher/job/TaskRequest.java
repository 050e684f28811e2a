package dev.spotbatch.dispatcher.job;

import dev.spotbatch.task.ChunkOptions;
import dev.spotbatch.task.CleanOptions;
import dev.spotbatch.task.ScoreOptions;
import java.util.List;
import java.util.function.Supplier;

/**
 * The model and tasks of a submission, before validation: every field may be missing. Options come
 * as suppliers that build (and so validate) them; one that throws is a violation.
 *
 * @param modelName a built-in model's name, or null
 * @param modelUri a brought model's location, or null
 * @param modelTask the task the model is used for ({@code "model": {"task": ...}}), or null
 * @param modelInput which of the model's prefixes the records get, or null
 * @param tasks the task chain as named, or null
 */
public record TaskRequest(
    String modelName,
    String modelUri,
    String modelTask,
    String modelInput,
    List<String> tasks,
    Supplier<ChunkOptions> chunk,
    Supplier<CleanOptions> clean,
    Supplier<ScoreOptions> classify,
    Supplier<ScoreOptions> similarity,
    String plugin) {

  /** The original request: a built-in model by name, embedded. */
  public static TaskRequest model(String name) {
    return new TaskRequest(name, null, null, null, null, null, null, null, null, null);
  }
}
