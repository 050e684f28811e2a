package dev.spotbatch.dispatcher.job;

import dev.spotbatch.codec.Json;
import dev.spotbatch.store.ObjectStore;
import dev.spotbatch.task.ChunkOptions;
import dev.spotbatch.task.ModelDescriptor;
import dev.spotbatch.task.ModelLocations;
import dev.spotbatch.task.ModelProblemException;
import dev.spotbatch.task.ModelRef;
import dev.spotbatch.task.ScoreOptions;
import dev.spotbatch.task.TaskSpec;
import dev.spotbatch.task.TaskType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Turns a submission's model and tasks into a {@link TaskSpec}, or violations that say what to fix.
 * A brought model is checked as far as the dispatcher can without running it: under the model
 * roots, a valid descriptor, every file present, within the size limit, a task it can do; its
 * digest is taken now, so every worker runs exactly the model the job was submitted with.
 */
final class TaskValidator {
  /** A built-in model's token limit, for the chunk check (all-minilm-l6-v2). */
  static final int BUILT_IN_MAX_LENGTH = 256;

  /**
   * Every work item message carries the job's tasks: at 3 UTF-8 bytes a character at most, this
   * keeps a message well under SQS's 256 KiB.
   */
  static final int MAX_SPEC_CHARS = 64_000;

  private final ObjectStore store;
  private final ModelLocationPolicy models;
  private final List<String> builtIns;

  TaskValidator(ObjectStore store, ModelLocationPolicy models, List<String> builtIns) {
    this.store = store;
    this.models = models;
    this.builtIns = List.copyOf(builtIns);
  }

  /** The spec, or null with the problems added to {@code v}. */
  TaskSpec validate(TaskRequest r, List<Violation> v) {
    int before = v.size();
    List<TaskType> tasks = tasks(r, v);
    ChunkOptions chunk = build(r.chunk(), "options.chunk", v);
    var clean = build(r.clean(), "options.clean", v);
    ScoreOptions classify = build(r.classify(), "options.classify", v);
    ScoreOptions similarity = build(r.similarity(), "options.similarity", v);
    boolean needsModel = tasks != null && tasks.stream().anyMatch(TaskType::needsModel);
    ModelRef model = null;
    ModelDescriptor descriptor = null;
    boolean named = r.modelName() != null && !r.modelName().isBlank();
    boolean located = r.modelUri() != null && !r.modelUri().isBlank();
    if (named && located) {
      v.add(new Violation("model", "give a built-in model's name or a model's uri, not both"));
    } else if (located) {
      try {
        ModelLocations.Inspected at =
            ModelLocations.inspect(store, models.roots(), r.modelUri(), models.maxModelBytes());
        descriptor = at.descriptor();
        if (r.modelInput() != null && !descriptor.prefixes().containsKey(r.modelInput())) {
          v.add(
              new Violation(
                  "model.input",
                  "model "
                      + descriptor.name()
                      + " has no prefix '"
                      + r.modelInput()
                      + "'; its prefixes: "
                      + descriptor.prefixes().keySet()));
        }
        model = at.ref(r.modelInput());
      } catch (ModelProblemException e) {
        v.add(new Violation("model.uri", e.getMessage()));
      }
    } else if (named) {
      if (!builtIns.contains(r.modelName())) {
        v.add(
            new Violation(
                "model", "unknown model '" + r.modelName() + "'; known models: " + builtIns));
      } else {
        model = ModelRef.builtIn(r.modelName());
      }
    } else if (needsModel) {
      v.add(
          new Violation(
              "model",
              "model is required; known models: "
                  + builtIns
                  + ", or {\"uri\": \"s3://...|file:///...\"} for your own"));
    }
    if (v.size() > before || tasks == null) {
      return null;
    }
    checkFit(tasks, descriptor, chunk, classify, v);
    if (v.size() > before) {
      return null;
    }
    TaskSpec spec;
    try {
      spec = new TaskSpec(tasks, model, chunk, clean, classify, similarity, r.plugin());
    } catch (IllegalArgumentException e) {
      v.add(new Violation("tasks", e.getMessage()));
      return null;
    }
    int size = Json.mapper().writeValueAsString(spec).length();
    if (size > MAX_SPEC_CHARS) {
      v.add(
          new Violation(
              "options",
              "the tasks and their options take "
                  + size
                  + " characters as JSON; at most "
                  + MAX_SPEC_CHARS
                  + " (fewer or shorter labels or queries)"));
      return null;
    }
    return spec;
  }

  private static List<TaskType> tasks(TaskRequest r, List<Violation> v) {
    if (r.tasks() == null || r.tasks().isEmpty()) {
      if (r.modelTask() == null) {
        return List.of(TaskType.EMBED);
      }
      try {
        return List.of(TaskType.of(r.modelTask()));
      } catch (IllegalArgumentException e) {
        v.add(new Violation("model.task", e.getMessage()));
        return null;
      }
    }
    List<TaskType> out = new ArrayList<>();
    for (int i = 0; i < r.tasks().size(); i++) {
      try {
        out.add(TaskType.of(r.tasks().get(i)));
      } catch (IllegalArgumentException e) {
        v.add(new Violation("tasks[" + i + "]", e.getMessage()));
      }
    }
    if (out.size() != r.tasks().size()) {
      return null;
    }
    if (r.modelTask() != null && !r.modelTask().equalsIgnoreCase(out.get(out.size() - 1).id())) {
      v.add(
          new Violation(
              "model.task",
              "model.task '"
                  + r.modelTask()
                  + "' differs from the chain's last task '"
                  + out.get(out.size() - 1).id()
                  + "'; leave model.task out when giving tasks"));
      return null;
    }
    return out;
  }

  /** What the descriptor says the model can do, against what the chain asks of it. */
  private static void checkFit(
      List<TaskType> tasks,
      ModelDescriptor d,
      ChunkOptions chunk,
      ScoreOptions classify,
      List<Violation> v) {
    TaskType last = tasks.get(tasks.size() - 1);
    boolean classifier = d != null && d.taskType() == TaskType.CLASSIFY;
    if (classifier && last != TaskType.CLASSIFY) {
      v.add(
          new Violation(
              "tasks",
              "model " + d.name() + " is a classification model; use it with the classify task"));
    }
    if (last == TaskType.CLASSIFY
        && !classifier
        && (classify == null || classify.labels() == null)) {
      v.add(
          new Violation(
              "options.classify.labels",
              "classify with an embedding model is zero-shot: give options.classify.labels"
                  + " {\"label\": \"a description\"}, or a classification model"));
    }
    if (classifier && classify != null && classify.labels() != null) {
      v.add(
          new Violation(
              "options.classify.labels",
              "model " + d.name() + " has its own labels " + d.labels() + "; leave these out"));
    }
    if (tasks.contains(TaskType.CHUNK) && last.needsModel()) {
      int maxTokens = (chunk == null ? ChunkOptions.defaults() : chunk).maxTokens();
      int reads = d == null ? BUILT_IN_MAX_LENGTH : d.maxLength();
      if (maxTokens + 2 > reads) {
        v.add(
            new Violation(
                "options.chunk.maxTokens",
                "chunks of "
                    + maxTokens
                    + " tokens are more than the model reads ("
                    + reads
                    + ", 2 of them special); use at most "
                    + (reads - 2)));
      }
    }
  }

  private static <T> T build(Supplier<T> options, String field, List<Violation> v) {
    if (options == null) {
      return null;
    }
    try {
      return options.get();
    } catch (IllegalArgumentException e) {
      v.add(new Violation(field, e.getMessage()));
      return null;
    }
  }
}
