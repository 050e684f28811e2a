package dev.spotbatch.worker.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MiniLmOnnxModelTest {
  private static EmbeddingModel model;

  @BeforeAll
  static void load() {
    model = MiniLmOnnxModel.load(Path.of("target", "model-cache"), 2);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void embedsSimilarSentencesCloseAndUnrelatedOnesApart() {
    float[][] e =
        model.embed(
            List.of(
                "A man is eating food.",
                "A man is eating a piece of bread.",
                "The girl is carrying a baby."));
    assertThat(cos(e[0], e[1])).isCloseTo(0.755, within(0.01));
    assertThat(cos(e[0], e[2])).isCloseTo(-0.105, within(0.01));
  }

  @Test
  void givesUnitVectorsOf384Dimensions() {
    float[][] e =
        model.embed(List.of("hello world", "a much longer sentence with many more words"));
    assertThat(model.dimensions()).isEqualTo(384);
    assertThat(model.name()).isEqualTo("all-minilm-l6-v2");
    for (float[] v : e) {
      assertThat(v).hasSize(384);
      assertThat(Math.sqrt(dot(v, v))).isCloseTo(1.0, within(1e-5));
    }
  }

  @Test
  void batchOfNEqualsNSingles() {
    List<String> texts =
        List.of(
            "short",
            "A man is eating food.",
            "a considerably longer text that pads the others",
            "x");
    float[][] batch = model.embed(texts);
    for (int i = 0; i < texts.size(); i++) {
      float[] single = model.embed(List.of(texts.get(i)))[0];
      for (int d = 0; d < single.length; d++) {
        assertThat(batch[i][d]).isCloseTo(single[d], within(1e-5f));
      }
    }
  }

  @Test
  void truncatesTextsLongerThanTheMaximumLength() {
    String longText = "word ".repeat(2000);
    float[] v = model.embed(List.of(longText))[0];
    assertThat(v).hasSize(384);
  }

  static double cos(float[] a, float[] b) {
    return dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
  }

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
