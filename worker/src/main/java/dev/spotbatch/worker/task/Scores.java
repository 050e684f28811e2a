package dev.spotbatch.worker.task;

import dev.spotbatch.worker.output.RecordLine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Top-k scoring: cosine similarity to reference vectors, or a classifier's probabilities. */
final class Scores {
  private Scores() {}

  /**
   * The {@code k} best names, best first; ties broken by name so the output is deterministic.
   *
   * @param references one vector per name, or null when {@code vector} holds the scores itself
   */
  static List<RecordLine.Scored> top(
      List<String> names, float[][] references, float[] vector, boolean probabilities, int k) {
    List<RecordLine.Scored> all = new ArrayList<>(names.size());
    for (int i = 0; i < names.size(); i++) {
      float score = probabilities ? vector[i] : (float) cosine(references[i], vector);
      all.add(new RecordLine.Scored(names.get(i), score));
    }
    all.sort(
        Comparator.comparingDouble((RecordLine.Scored s) -> -s.score())
            .thenComparing(RecordLine.Scored::name));
    return all.subList(0, Math.min(k, all.size()));
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * (double) b[i];
      na += a[i] * (double) a[i];
      nb += b[i] * (double) b[i];
    }
    return dot / Math.max(Math.sqrt(na) * Math.sqrt(nb), 1e-12);
  }
}
