package dev.spotbatch.worker.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.jsonl.ParsedRecord;
import dev.spotbatch.store.StoreUri;
import dev.spotbatch.store.local.LocalObjectStore;
import dev.spotbatch.task.ModelRef;
import dev.spotbatch.task.ScoreOptions;
import dev.spotbatch.task.TaskSpec;
import dev.spotbatch.task.TaskType;
import dev.spotbatch.worker.inference.Batchers;
import dev.spotbatch.worker.inference.Cancellation;
import dev.spotbatch.worker.inference.MiniLmOnnxModel;
import dev.spotbatch.worker.inference.ModelRegistry;
import dev.spotbatch.worker.output.PartWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Zero-shot classify and similarity with the built-in model: top-k by cosine, best first. */
class ScoringTasksTest {
  static final JsonMapper JSON = JsonMapper.builder().build();
  static ModelRegistry registry;
  static Batchers batchers;

  @TempDir Path tmp;

  @BeforeAll
  static void load() {
    registry = ModelRegistry.withBuiltIns(Path.of("target", "model-cache"), 2);
    batchers = new Batchers(registry, 1, 8, Duration.ofMillis(1), null);
  }

  @AfterAll
  static void close() {
    batchers.close();
    registry.close();
  }

  @Test
  void similarityRanksTheQueriesByMeaning() throws Exception {
    TaskSpec spec =
        new TaskSpec(
            List.of(TaskType.SIMILARITY),
            ModelRef.builtIn(MiniLmOnnxModel.NAME),
            null,
            null,
            null,
            new ScoreOptions(
                2,
                null,
                Map.of(
                    "food", "Someone eats a meal.",
                    "baby", "A girl holds an infant.",
                    "car", "The engine of the car is broken.")),
            null);

    List<JsonNode> lines = run(spec, "A man is eating a piece of bread.");

    JsonNode matches = lines.get(0).get("matches");
    assertThat(matches).hasSize(2);
    assertThat(matches.get(0).get("query").asString()).isEqualTo("food");
    assertThat(matches.get(0).get("score").asDouble())
        .isGreaterThan(matches.get(1).get("score").asDouble());
  }

  @Test
  void zeroShotClassifyPicksTheLabelWhoseDescriptionIsClosest() throws Exception {
    TaskSpec spec =
        new TaskSpec(
            List.of(TaskType.CLASSIFY),
            ModelRef.builtIn(MiniLmOnnxModel.NAME),
            null,
            null,
            new ScoreOptions(
                1,
                Map.of(
                    "sport", "a text about football, tennis or running",
                    "cooking", "a text about recipes, ovens and cooking food"),
                null),
            null,
            null);

    List<JsonNode> lines = run(spec, "Bake the bread in a hot oven for forty minutes.");

    assertThat(lines.get(0).get("labels")).hasSize(1);
    assertThat(lines.get(0).at("/labels/0/label").asString()).isEqualTo("cooking");
  }

  private List<JsonNode> run(TaskSpec spec, String text) throws Exception {
    try (Batchers.Lease model = batchers.acquire(spec.model());
        PartWriter writer = new PartWriter(tmp)) {
      TaskPlan plan = TaskPlan.of(spec, model.batcher(), new Tokenizers(tmp));
      TaskPlan.Prepared p = plan.prepare(List.of(new ParsedRecord.Good("r1", 0, text)));
      plan.write(writer, p.units(), plan.submit(p.units(), new Cancellation()).get());
      Path out = Files.createDirectories(tmp.resolve("out"));
      writer.commit(
          new LocalObjectStore(List.of(tmp)), StoreUri.of(out).asPrefix(), "part.jsonl", "e.jsonl");
      return Files.readAllLines(out.resolve("part.jsonl")).stream().map(JSON::readTree).toList();
    }
  }
}
