package dev.spotbatch.worker.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The int8 variant against the fp32 model it was quantised from, on the same texts. */
class MiniLmQuantizedOnnxModelTest {
  private static final Path CACHE = Path.of("target", "model-cache");
  private static EmbeddingModel fp32;
  private static EmbeddingModel int8;

  @BeforeAll
  static void load() {
    fp32 = MiniLmOnnxModel.load(CACHE, 2);
    int8 = MiniLmQuantizedOnnxModel.load(CACHE, 2, InferenceDevice.cpu());
  }

  @AfterAll
  static void close() {
    fp32.close();
    int8.close();
  }

  /**
   * 256 texts of 3 to about 120 words: short sentences, long run-on ones, and a few odd inputs
   * (numbers, a single word, punctuation), in batches of 32 as the worker runs them.
   */
  static List<String> corpus() {
    String[] subjects = {
      "A man",
      "The girl",
      "An old farmer",
      "Two children",
      "The engineer",
      "A small dog",
      "The" + " orchestra",
      "My neighbour"
    };
    String[] verbs = {
      "is eating", "is carrying", "repairs", "watches", "paints", "photographs", "describes"
    };
    String[] objects = {
      "a piece of bread",
      "a baby",
      "the red tractor",
      "a quiet river",
      "the broken bridge",
      "a bowl of soup",
      "the night sky",
      "an old map",
      "the city market"
    };
    String[] tails = {
      "in the morning", "after the storm", "near the station", "with great care",
      "before dinner", "on a cold day", "for the first time", "while it rains"
    };
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 256; i++) {
      StringBuilder t = new StringBuilder();
      int clauses = 1 + (i * 7) % 12; // 1 clause (about 5 words) up to 12 (about 120)
      for (int c = 0; c < clauses; c++) {
        int k = i + 3 * c;
        t.append(c == 0 ? "" : c % 2 == 0 ? ", and " : " while ")
            .append(subjects[k % subjects.length])
            .append(' ')
            .append(verbs[(k / 3) % verbs.length])
            .append(' ')
            .append(objects[(k / 5) % objects.length])
            .append(' ')
            .append(tails[(k / 2) % tails.length]);
      }
      texts.add(t + ".");
    }
    texts.set(10, "bread");
    texts.set(20, "Invoice 4411-0932, due 2026-12-31: EUR 1,299.00 (net 30).");
    texts.set(30, "?!");
    return texts;
  }

  @Test
  void staysCloseToTheFp32EmbeddingsOnATestCorpus() {
    List<String> texts = corpus();
    double[] cosines = new double[texts.size()];
    for (int from = 0; from < texts.size(); from += 32) {
      List<String> batch = texts.subList(from, Math.min(texts.size(), from + 32));
      float[][] a = fp32.embed(batch);
      float[][] b = int8.embed(batch);
      for (int i = 0; i < batch.size(); i++) {
        cosines[from + i] = MiniLmOnnxModelTest.cos(a[i], b[i]);
      }
    }
    double[] sorted = cosines.clone();
    Arrays.sort(sorted);
    double mean = Arrays.stream(cosines).average().orElseThrow();
    System.out.printf(
        Locale.ROOT,
        "int8 vs fp32 cosine over %d texts: mean %.4f, min %.4f, p5 %.4f, median %.4f%n",
        cosines.length,
        mean,
        sorted[0],
        sorted[sorted.length / 20],
        sorted[sorted.length / 2]);
    assertThat(mean).isGreaterThanOrEqualTo(0.98);
    assertThat(sorted[0]).isGreaterThanOrEqualTo(0.93);
  }

  @Test
  void keepsTheSimilarityOrderOfTheFp32Model() {
    float[][] e =
        int8.embed(
            List.of(
                "A man is eating food.",
                "A man is eating a piece of bread.",
                "The girl is carrying a baby."));
    // fp32: 0.755 and -0.105 (MiniLmOnnxModelTest)
    assertThat(MiniLmOnnxModelTest.cos(e[0], e[1])).isCloseTo(0.755, within(0.05));
    assertThat(MiniLmOnnxModelTest.cos(e[0], e[2])).isCloseTo(-0.105, within(0.05));
    assertThat(int8.name()).isEqualTo("all-minilm-l6-v2-q");
    assertThat(int8.dimensions()).isEqualTo(384);
  }

  @Test
  void isABuiltInModelOfTheRegistry() {
    try (ModelRegistry registry = ModelRegistry.withBuiltIns(CACHE, 1)) {
      assertThat(registry.names()).contains("all-minilm-l6-v2", "all-minilm-l6-v2-q");
      float[] v = registry.get("all-minilm-l6-v2-q").embed(List.of("hello world"))[0];
      assertThat(v).hasSize(384);
    }
  }
}
