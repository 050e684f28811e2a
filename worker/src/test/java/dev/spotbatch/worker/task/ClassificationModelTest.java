package dev.spotbatch.worker.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.spotbatch.jsonl.ParsedRecord;
import dev.spotbatch.store.ObjectStore;
import dev.spotbatch.store.StorageRoots;
import dev.spotbatch.store.StoreUri;
import dev.spotbatch.store.local.LocalObjectStore;
import dev.spotbatch.task.ModelLocations;
import dev.spotbatch.task.ModelProblemException;
import dev.spotbatch.task.ModelRef;
import dev.spotbatch.task.ScoreOptions;
import dev.spotbatch.task.TaskSpec;
import dev.spotbatch.task.TaskType;
import dev.spotbatch.worker.inference.Batchers;
import dev.spotbatch.worker.inference.Cancellation;
import dev.spotbatch.worker.inference.InferenceDevice;
import dev.spotbatch.worker.inference.MiniLmOnnxModel;
import dev.spotbatch.worker.inference.ModelRegistry;
import dev.spotbatch.worker.model.BroughtModels;
import dev.spotbatch.worker.model.ModelCache;
import dev.spotbatch.worker.model.ModelCacheSettings;
import dev.spotbatch.worker.output.PartWriter;
import dev.spotbatch.worker.testing.ClassifierModelFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code classify} with a sequence-classification ONNX model brought by URI: its descriptor's
 * labels, its named {@code logits} output, softmax, top-k. The model is the MiniLM encoder with a
 * classification head written by {@link ClassifierModelFiles} (no classifier resolves from Maven
 * Central here); its head holds label prototypes, so every score can be recomputed from the
 * built-in embedding model: softmax over scale x cosine.
 */
class ClassificationModelTest {
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final List<String> LABELS = List.of("cooking", "sport", "weather");
  static final List<String> PROTOTYPES =
      List.of(
          "Recipes, ovens, baking bread and cooking food.",
          "Football, tennis, running and athletes winning matches.",
          "Rain, sunshine, storms and the weather forecast.");
  static final float SCALE = 10f;
  static final List<String> TEXTS =
      List.of(
          "Bake the bread in a hot oven for forty minutes.",
          "The striker scored twice in the final.",
          "Heavy rain and strong wind are expected tomorrow.",
          "A man is eating food.");

  @TempDir static Path shared;
  static ModelRegistry registry;
  static Batchers batchers;
  static float[][] prototypes;
  static ObjectStore store;
  static String root;

  @TempDir Path tmp;

  @BeforeAll
  static void setUp() {
    store = new LocalObjectStore(List.of(shared));
    root = StoreUri.of(shared).asPrefix().toString();
    ModelCacheSettings cache =
        new ModelCacheSettings(
            shared.resolve("cache"),
            1L << 30,
            500L << 20,
            StorageRoots.of("spotbatch.worker.model-cache.roots", List.of(root)));
    registry =
        ModelRegistry.withBuiltIns(Path.of("target", "model-cache"), 2)
            .bringWith(
                new BroughtModels(
                    new ModelCache(store, cache, Clock.systemUTC()), 2, InferenceDevice.cpu()));
    batchers = new Batchers(registry, 1, 8, Duration.ofMillis(1), null);
    prototypes = registry.get(MiniLmOnnxModel.NAME).embed(PROTOTYPES);
    ClassifierModelFiles.write(shared.resolve("models/topics"), LABELS, prototypes, SCALE);
  }

  @AfterAll
  static void tearDown() {
    batchers.close();
    registry.close();
  }

  @Test
  void aClassificationModelGivesItsLabelsWithSoftmaxScoresBestFirst() throws Exception {
    TaskSpec spec =
        new TaskSpec(
            List.of(TaskType.CLASSIFY),
            ref("models/topics/"),
            null,
            null,
            new ScoreOptions(3, null, null),
            null,
            null);

    List<JsonNode> lines = run(spec, TEXTS);

    assertThat(lines)
        .extracting(l -> l.at("/labels/0/label").asString())
        .containsExactly("cooking", "sport", "weather", "cooking");
    float[][] vectors = registry.get(MiniLmOnnxModel.NAME).embed(TEXTS);
    for (int i = 0; i < TEXTS.size(); i++) {
      double[] expected = softmax(vectors[i]);
      JsonNode labels = lines.get(i).get("labels");
      assertThat(labels).hasSize(3);
      double previous = 1;
      for (JsonNode l : labels) {
        double score = l.get("score").asDouble();
        assertThat(score)
            .as("%s / %s", TEXTS.get(i), l.get("label").asString())
            .isCloseTo(expected[LABELS.indexOf(l.get("label").asString())], within(1e-4))
            .isLessThanOrEqualTo(previous);
        previous = score;
      }
    }
  }

  @Test
  void aDescriptorWhoseLabelsDoNotMatchTheLogitsIsRefused() {
    // a head of three logits, a descriptor of two labels
    ClassifierModelFiles.write(
        shared.resolve("models/two-labels"), List.of("cooking", "sport"), prototypes, SCALE);

    assertThatThrownBy(() -> batchers.acquire(ref("models/two-labels/")).close())
        .isInstanceOf(ModelProblemException.class)
        .hasMessageContaining("gives 3 logits but its descriptor lists 2 labels");
  }

  private static double[] softmax(float[] v) {
    double[] logits = new double[prototypes.length];
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < prototypes.length; j++) {
      double dot = 0;
      for (int h = 0; h < v.length; h++) {
        dot += v[h] * (double) prototypes[j][h];
      }
      logits[j] = SCALE * dot;
      max = Math.max(max, logits[j]);
    }
    double sum = 0;
    for (int j = 0; j < logits.length; j++) {
      logits[j] = Math.exp(logits[j] - max);
      sum += logits[j];
    }
    for (int j = 0; j < logits.length; j++) {
      logits[j] /= sum;
    }
    return logits;
  }

  private static ModelRef ref(String relative) {
    String uri = root + relative;
    return ModelLocations.inspect(store, StorageRoots.of("test", List.of(root)), uri, 1L << 30)
        .ref(null);
  }

  private List<JsonNode> run(TaskSpec spec, List<String> texts) throws Exception {
    try (Batchers.Lease model = batchers.acquire(spec.model());
        PartWriter writer = new PartWriter(tmp)) {
      TaskPlan plan = TaskPlan.of(spec, model.batcher(), new Tokenizers(tmp));
      List<ParsedRecord.Good> records = new ArrayList<>();
      for (int i = 0; i < texts.size(); i++) {
        records.add(new ParsedRecord.Good("r" + i, i * 100L, texts.get(i)));
      }
      TaskPlan.Prepared p = plan.prepare(records);
      plan.write(writer, p.units(), plan.submit(p.units(), new Cancellation()).get());
      Path out = Files.createDirectories(tmp.resolve("out"));
      writer.commit(
          new LocalObjectStore(List.of(tmp)), StoreUri.of(out).asPrefix(), "part.jsonl", "e.jsonl");
      return Files.readAllLines(out.resolve("part.jsonl")).stream().map(JSON::readTree).toList();
    }
  }
}
