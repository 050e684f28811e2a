package dev.spotbatch.worker.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Batching by length changes what is padded, not the embeddings: the real model, both ways. */
class LengthOrderEmbeddingTest {
  private static final String[] WORDS = {
    "river", "engine", "quiet", "market", "bread", "station", "storm", "careful", "tractor",
    "morning", "orchestra", "bridge", "map", "soup", "pilot", "neighbour", "boat", "sky"
  };

  /** Texts of 3 to 120 words. */
  static List<String> corpus(int n, long seed) {
    Random random = new Random(seed);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int words = 3 + random.nextInt(118);
      StringBuilder sb = new StringBuilder();
      for (int w = 0; w < words; w++) {
        sb.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
      }
      texts.add(sb.append('.').toString());
    }
    return texts;
  }

  @Test
  void lengthOrderGivesTheEmbeddingsOfInputOrderTo1e5() throws Exception {
    List<String> texts = corpus(96, 3);
    try (EmbeddingModel model = MiniLmOnnxModel.load(Path.of("target", "model-cache"), 2)) {
      List<float[]> expected = new ArrayList<>();
      for (int i = 0; i < texts.size(); i += 32) {
        expected.addAll(List.of(model.embed(texts.subList(i, i + 32))));
      }
      List<float[]> actual = new ArrayList<>();
      try (Batcher batcher =
          new Batcher(model, 1, 32, Duration.ofMillis(50), 512, null, BatchOrder.LENGTH)) {
        // two items' chunks queued at once, as a worker holding two items submits them
        CompletableFuture<float[][]> first = batcher.submit(texts.subList(0, 48));
        CompletableFuture<float[][]> second = batcher.submit(texts.subList(48, 96));
        actual.addAll(List.of(first.get(120, TimeUnit.SECONDS)));
        actual.addAll(List.of(second.get(120, TimeUnit.SECONDS)));
      }
      assertThat(actual).hasSize(expected.size());
      double worst = 0;
      for (int i = 0; i < expected.size(); i++) {
        for (int d = 0; d < expected.get(i).length; d++) {
          worst = Math.max(worst, Math.abs(expected.get(i)[d] - actual.get(i)[d]));
        }
      }
      assertThat(worst).as("largest difference of any dimension").isLessThan(1e-5);
    }
  }
}
