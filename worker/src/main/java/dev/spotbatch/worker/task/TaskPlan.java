package dev.spotbatch.worker.task;

import dev.spotbatch.codec.Json;
import dev.spotbatch.jsonl.ParsedRecord;
import dev.spotbatch.spi.Translator;
import dev.spotbatch.task.ModelProblemException;
import dev.spotbatch.task.ScoreOptions;
import dev.spotbatch.task.TaskSpec;
import dev.spotbatch.task.TaskType;
import dev.spotbatch.worker.inference.Batcher;
import dev.spotbatch.worker.inference.Cancellation;
import dev.spotbatch.worker.inference.EmbeddingModel;
import dev.spotbatch.worker.output.RecordLine;
import dev.spotbatch.worker.output.ResultPart;
import dev.spotbatch.worker.plugin.Plugins;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * One item's run of its task chain: {@link #prepare} cleans and chunks the records of a chunk of
 * input into {@link Unit units} (dropped records become record errors), {@link #submit} feeds the
 * units to the model (if the chain has one) and {@link #write} turns each unit and its vector into
 * the chain's output line. Everything a unit's output holds follows from its input record, so a
 * record re-read after a checkpoint gives the same lines (deterministic ids: exactly-once holds for
 * chunked output too). Not thread-safe: one per item run (the cleaner remembers what it saw).
 */
public final class TaskPlan {
  private final TaskSpec spec;
  private final Batcher batcher;
  private final Cleaner cleaner;
  private final Chunker chunker;
  private final String prefix;
  private final Reference reference;
  private final Translator translator;

  /**
   * What {@link #prepare} made of some records: {@code sources} holds each unit's input record (by
   * the unit's index), so an error of a unit can be told as an error of its record.
   */
  public record Prepared(
      List<Unit> units, List<ParsedRecord.Good> sources, List<ParsedRecord.Bad> dropped) {}

  /** Label or query names with their vectors, scored against each unit. */
  private record Reference(List<String> names, float[][] vectors, boolean probabilities) {}

  private TaskPlan(
      TaskSpec spec,
      Batcher batcher,
      Cleaner cleaner,
      Chunker chunker,
      String prefix,
      Reference reference,
      Translator translator) {
    this.translator = translator;
    this.spec = spec;
    this.batcher = batcher;
    this.cleaner = cleaner;
    this.chunker = chunker;
    this.prefix = prefix;
    this.reference = reference;
  }

  /**
   * Plans an item's run: checks the chain fits the model and embeds the labels or queries once.
   *
   * @param batcher the model's batcher, or null when no task needs a model
   * @throws ModelProblemException if the chain cannot run with this model (final for the item)
   * @throws ExecutionException if the model fails on the labels or queries
   */
  public static TaskPlan of(TaskSpec spec, Batcher batcher, Tokenizers tokenizers)
      throws InterruptedException, ExecutionException {
    return of(spec, batcher, tokenizers, Plugins.none(), ContentClaims.inMemory());
  }

  /**
   * Plans an item's run, with the worker's translator plugins.
   *
   * @param claims where {@code clean} finds exact duplicates (the job's, in its output store)
   * @throws ModelProblemException also for a plugin this worker does not have
   */
  public static TaskPlan of(
      TaskSpec spec, Batcher batcher, Tokenizers tokenizers, Plugins plugins, ContentClaims claims)
      throws InterruptedException, ExecutionException {
    EmbeddingModel model = batcher == null ? null : batcher.model();
    if (spec.terminal() != null && spec.terminal().needsModel() && model == null) {
      throw new ModelProblemException("task '" + spec.terminal().id() + "' needs a model");
    }
    Cleaner cleaner = spec.has(TaskType.CLEAN) ? new Cleaner(spec.clean(), claims) : null;
    Chunker chunker = null;
    if (spec.has(TaskType.CHUNK)) {
      chunker = new Chunker(spec.chunk(), tokenizer(spec, model, tokenizers));
      if (model != null && spec.chunk().maxTokens() + 2 > model.maxLength()) {
        throw new ModelProblemException(
            "chunk.maxTokens "
                + spec.chunk().maxTokens()
                + " is more than model "
                + model.name()
                + " reads ("
                + model.maxLength()
                + " tokens, 2 of them special); use at most "
                + (model.maxLength() - 2));
      }
    }
    String input = spec.model() == null ? null : spec.model().input();
    String prefix = model == null ? "" : model.prefix(input);
    Reference reference = reference(spec, batcher);
    Translator translator = spec.has(TaskType.PLUGIN) ? plugins.get(spec.plugin()) : null;
    return new TaskPlan(spec, batcher, cleaner, chunker, prefix, reference, translator);
  }

  private static TokenSpans tokenizer(TaskSpec spec, EmbeddingModel model, Tokenizers tokenizers) {
    String named = spec.chunk().tokenizer();
    if (named == null && model == null) {
      named = dev.spotbatch.worker.inference.MiniLmOnnxModel.NAME;
    }
    if (named == null || "model".equals(named)) {
      if (model == null || model.tokenizerFile() == null) {
        throw new ModelProblemException(
            "chunk.tokenizer 'model' needs a job model with a tokenizer file");
      }
      return tokenizers.file(model.tokenizerFile());
    }
    return tokenizers.builtIn(named);
  }

  private static Reference reference(TaskSpec spec, Batcher batcher)
      throws InterruptedException, ExecutionException {
    TaskType terminal = spec.terminal();
    if (terminal == TaskType.CLASSIFY) {
      List<String> labels = batcher.model().labels();
      if (!labels.isEmpty()) { // a classification model: its vector is the label probabilities
        return new Reference(labels, null, true);
      }
      if (spec.classify() == null || spec.classify().labels() == null) {
        throw new ModelProblemException(
            "classify with embedding model "
                + batcher.model().name()
                + " is zero-shot: give options.classify.labels {\"label\": \"a description\"}");
      }
      return embedded(spec.classify().labels(), batcher);
    }
    if (terminal == TaskType.SIMILARITY) {
      return embedded(spec.similarity().queries(), batcher);
    }
    return null;
  }

  private static Reference embedded(Map<String, String> entries, Batcher batcher)
      throws InterruptedException, ExecutionException {
    String queryPrefix = batcher.model().prefix("query");
    List<String> names = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    for (Map.Entry<String, String> e : ScoreOptions.sorted(entries)) {
      names.add(e.getKey());
      texts.add(queryPrefix + e.getValue());
    }
    return new Reference(names, batcher.submit(texts).get(), false);
  }

  /** Cleans and chunks records into units, in input order; the dropped ones with a reason. */
  public Prepared prepare(List<ParsedRecord.Good> records) {
    List<Unit> units = new ArrayList<>(records.size());
    List<ParsedRecord.Good> sources = new ArrayList<>(records.size());
    List<ParsedRecord.Bad> dropped = new ArrayList<>();
    for (ParsedRecord.Good r : records) {
      String text = r.text();
      if (cleaner != null) {
        Cleaner.Result c = cleaner.clean(r.id(), r.offset(), text);
        if (!c.kept()) {
          dropped.add(new ParsedRecord.Bad(r.id(), r.offset(), c.dropped()));
          continue;
        }
        text = c.text();
      }
      if (chunker == null) {
        units.add(Unit.whole(r.id(), text));
        sources.add(r);
        continue;
      }
      List<Chunker.Span> spans = chunker.split(text);
      if (spans.isEmpty()) {
        dropped.add(new ParsedRecord.Bad(r.id(), r.offset(), "chunk: the text has no tokens"));
        continue;
      }
      for (Chunker.Span s : spans) {
        units.add(
            new Unit(
                r.id() + "#" + s.index(),
                r.id(),
                s.index(),
                text.substring(s.start(), s.end()),
                s.tokens(),
                s.start(),
                s.end()));
        sources.add(r);
      }
    }
    return new Prepared(units, sources, dropped);
  }

  /**
   * Feeds the units to the model: one vector each, in order; without a model, completed at once
   * with none.
   */
  public CompletableFuture<float[][]> submit(List<Unit> units, Cancellation cancellation)
      throws InterruptedException {
    if (batcher == null || spec.terminal() == null || !spec.terminal().needsModel()) {
      return CompletableFuture.completedFuture(new float[0][]);
    }
    List<String> texts = new ArrayList<>(units.size());
    for (Unit u : units) {
      texts.add(prefix + u.text());
    }
    return batcher.submit(texts, cancellation);
  }

  /**
   * False once the model's batcher began to close (or there is none): a failure then is not the
   * records' fault.
   */
  public boolean modelOpen() {
    return batcher != null && batcher.isOpen();
  }

  /**
   * Writes each unit's output line; {@code vectors} as {@link #submit} gave them. A plugin runs
   * here, on the item's thread, one call per chunk of units.
   *
   * @throws PluginException if the plugin fails (the item is retried)
   */
  public void write(ResultPart writer, List<Unit> units, float[][] vectors) {
    List<?> results = translator == null || units.isEmpty() ? null : translate(units);
    boolean modelRan = vectors.length > 0 || units.isEmpty();
    if (spec.terminal() != null && spec.terminal().needsModel() && !modelRan) {
      throw new IllegalStateException("the model gave no vectors for " + units.size() + " units");
    }
    for (int i = 0; i < units.size(); i++) {
      Unit u = units.get(i);
      if (spec.embedOnly()) {
        writer.write(u.id(), vectors[i]); // the original output shape, unchanged
        continue;
      }
      RecordLine line = base(u);
      TaskType terminal = spec.terminal();
      if (terminal == TaskType.EMBED) {
        writer.write(line, "embedding", vectors[i]); // a vector: in every output format
        continue;
      }
      if (terminal == TaskType.CLASSIFY) {
        line.scores("labels", "label", top(vectors[i], spec.classify()));
      } else if (terminal == TaskType.SIMILARITY) {
        line.scores("matches", "query", top(vectors[i], spec.similarity()));
      } else if (terminal == TaskType.PLUGIN) {
        line.raw("result", Json.mapper().writeValueAsString(results.get(i)));
      }
      writer.write(line);
    }
  }

  private List<?> translate(List<Unit> units) {
    List<String> texts = new ArrayList<>(units.size());
    for (Unit u : units) {
      texts.add(u.text());
    }
    List<?> out;
    try {
      out = translator.translate(texts);
    } catch (Exception e) {
      throw new PluginException(
          "plugin '" + translator.name() + "' failed on " + texts.size() + " texts: " + e, e);
    }
    if (out == null || out.size() != texts.size()) {
      throw new PluginException(
          "plugin '"
              + translator.name()
              + "' gave "
              + (out == null ? "null" : out.size() + " results")
              + " for "
              + texts.size()
              + " texts");
    }
    return out;
  }

  private RecordLine base(Unit u) {
    RecordLine line = new RecordLine(u.id());
    if (u.chunk() >= 0) {
      line.text("sourceId", u.sourceId())
          .number("chunk", u.chunk())
          .text("text", u.text())
          .number("tokens", u.tokens())
          .number("start", u.start())
          .number("end", u.end());
    } else if (cleaner != null) {
      line.text("text", u.text());
    }
    return line;
  }

  private List<RecordLine.Scored> top(float[] vector, ScoreOptions options) {
    int k = options == null ? 3 : options.topK();
    return Scores.top(reference.names(), reference.vectors(), vector, reference.probabilities(), k);
  }
}
