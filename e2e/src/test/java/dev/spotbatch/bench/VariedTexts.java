package dev.spotbatch.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Texts whose lengths vary uniformly from 3 to 120 words, as real text does: the padding test. */
final class VariedTexts {
  private static final String[] WORDS = {
    "river",
    "engine",
    "quiet",
    "market",
    "bread",
    "station",
    "storm",
    "careful",
    "tractor",
    "morning",
    "orchestra",
    "bridge",
    "map",
    "soup",
    "pilot",
    "neighbour",
    "boat",
    "sky",
    "a",
    "the",
    "of",
    "and",
    "is",
    "near",
    "after",
    "before",
    "with",
    "old",
    "small",
    "red"
  };

  private VariedTexts() {}

  /** {@code n} texts, the same for the same seed. */
  static List<String> corpus(int n, long seed) {
    Random random = new Random(seed);
    List<String> texts = new ArrayList<>(n);
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
}
