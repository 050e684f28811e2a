package dev.spotbatch.task;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What each record of a job goes through: the chain of tasks (preprocessing steps first, at most
 * one terminal task last), the model, and each task's options. Validated once; work items carry it
 * to the workers.
 *
 * @param tasks the chain, e.g. {@code [clean, chunk, embed]}
 * @param model the model, or null when no task needs one
 * @param chunk options of {@code chunk}
 * @param clean options of {@code clean}
 * @param classify options of {@code classify}
 * @param similarity options of {@code similarity}
 * @param plugin the translator plugin's name, for {@code plugin}
 */
public record TaskSpec(
    List<TaskType> tasks,
    ModelRef model,
    ChunkOptions chunk,
    CleanOptions clean,
    ScoreOptions classify,
    ScoreOptions similarity,
    String plugin) {

  public TaskSpec {
    tasks = tasks == null || tasks.isEmpty() ? List.of(TaskType.EMBED) : List.copyOf(tasks);
    List<String> problems = problems(tasks, model, classify, similarity, plugin);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    chunk = tasks.contains(TaskType.CHUNK) && chunk == null ? ChunkOptions.defaults() : chunk;
    clean = tasks.contains(TaskType.CLEAN) && clean == null ? CleanOptions.defaults() : clean;
  }

  /** Today's job: embed each record with a built-in model. */
  public static TaskSpec embed(String model) {
    return new TaskSpec(
        List.of(TaskType.EMBED), ModelRef.builtIn(model), null, null, null, null, null);
  }

  /** The terminal task, or null for a chain of preprocessing steps only. */
  public TaskType terminal() {
    TaskType last = tasks.get(tasks.size() - 1);
    return last.terminal() ? last : null;
  }

  /** Whether the chain has {@code type}. */
  public boolean has(TaskType type) {
    return tasks.contains(type);
  }

  /** True for the original job shape, whose output stays {@code {"id","embedding"}}. */
  public boolean embedOnly() {
    return tasks.equals(List.of(TaskType.EMBED));
  }

  /** Why a chain cannot run, each reason one message; empty if it can. */
  static List<String> problems(
      List<TaskType> tasks,
      ModelRef model,
      ScoreOptions classify,
      ScoreOptions similarity,
      String plugin) {
    List<String> out = new ArrayList<>();
    Set<TaskType> seen = EnumSet.noneOf(TaskType.class);
    for (int i = 0; i < tasks.size(); i++) {
      TaskType t = tasks.get(i);
      if (t == null) {
        out.add("tasks[" + i + "] is null; known tasks: " + TaskType.known());
        continue;
      }
      if (!seen.add(t)) {
        out.add("task '" + t.id() + "' appears twice");
      }
      if (t.terminal() && i != tasks.size() - 1) {
        out.add(
            "task '" + t.id() + "' gives the result and must come last (e.g. clean, chunk, embed)");
      }
      if (t == TaskType.CLEAN && seen.contains(TaskType.CHUNK)) {
        out.add("clean must come before chunk");
      }
      if (t.needsModel() && model == null) {
        out.add("task '" + t.id() + "' needs a model");
      }
    }
    if (tasks.contains(TaskType.SIMILARITY)
        && (similarity == null || similarity.queries() == null)) {
      out.add("similarity needs options.similarity.queries: {\"q1\": \"a query text\", ...}");
    }
    if (tasks.contains(TaskType.PLUGIN) && (plugin == null || plugin.isBlank())) {
      out.add("task 'plugin' needs options.plugin: the translator's name");
    }
    if (!tasks.contains(TaskType.CLASSIFY) && classify != null && classify.labels() != null) {
      out.add("options.classify is given but the tasks do not include classify");
    }
    return out;
  }
}
