package dev.spotbatch.bench;

import dev.spotbatch.store.StoreUri;
import dev.spotbatch.store.local.LocalObjectStore;
import dev.spotbatch.worker.output.NpyPartWriter;
import dev.spotbatch.worker.output.PartWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Benchmark (f), issue 13 point 3: records/s and bytes/record of one part of 384-float unit
 * embeddings written and committed to the local store, as JSON lines (the default) and as {@code
 * .npy} + ids, alternating in one JVM. The writer's cost only: the model is not run.
 */
final class OutputFormatBenchmark {
  private static final int DIMENSIONS = 384;

  private final int records;
  private final int rounds;

  OutputFormatBenchmark(int records, int rounds) {
    this.records = records;
    this.rounds = rounds;
  }

  List<String> run() throws Exception {
    Path dir = Files.createTempDirectory("spotbatch-bench-formats-");
    LocalObjectStore store = new LocalObjectStore(List.of(dir));
    StoreUri out = StoreUri.of(dir.resolve("out")).asPrefix();
    float[][] embeddings = embeddings(records, new Random(13));
    List<Double> jsonl = new ArrayList<>();
    List<Double> npy = new ArrayList<>();
    long jsonlBytes = 0;
    long npyBytes = 0;
    for (int round = 0; round <= rounds; round++) { // round 0 warms up
      long t0 = System.nanoTime();
      try (PartWriter w = new PartWriter(dir.resolve("tmp"))) {
        for (int i = 0; i < records; i++) {
          w.write("doc-" + i, embeddings[i]);
        }
        w.commit(store, out, "part-" + round + ".jsonl", "_errors/e-" + round + ".jsonl");
      }
      double j = records / ((System.nanoTime() - t0) / 1e9);
      t0 = System.nanoTime();
      try (NpyPartWriter w = new NpyPartWriter(dir.resolve("tmp"), DIMENSIONS)) {
        for (int i = 0; i < records; i++) {
          w.write("doc-" + i, embeddings[i]);
        }
        w.commit(store, out, "part-" + round + ".npy", "_errors/e-" + round + ".jsonl");
      }
      double n = records / ((System.nanoTime() - t0) / 1e9);
      jsonlBytes = Files.size(dir.resolve("out/part-" + round + ".jsonl"));
      npyBytes =
          Files.size(dir.resolve("out/part-" + round + ".npy"))
              + Files.size(dir.resolve("out/part-" + round + ".ids.jsonl"));
      if (round > 0) {
        jsonl.add(j);
        npy.add(n);
        System.out.printf(
            Locale.ROOT,
            "round %d: jsonl %.0f rec/s, npy+ids %.0f rec/s; load %s%n",
            round,
            j,
            n,
            PlanAtScaleBenchmark.load());
      }
    }
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < jsonl.size(); i++) {
      ratios.add(npy.get(i) / jsonl.get(i));
    }
    return List.of(
        String.format(
            Locale.ROOT,
            "| (f) output part: .npy + ids / JSON lines | %d records of %d float32 (unit"
                + " vectors), ids doc-N, written and committed to the local store | jsonl rec/s:"
                + " %s; %.1f bytes/record | npy+ids rec/s: %s; %.1f bytes/record | ratio %s |",
            records,
            DIMENSIONS,
            Stats.list(jsonl),
            jsonlBytes / (double) records,
            Stats.list(npy),
            npyBytes / (double) records,
            Stats.describe(ratios)));
  }

  private static float[][] embeddings(int n, Random random) {
    float[][] out = new float[n][DIMENSIONS];
    for (float[] v : out) {
      double norm = 0;
      for (int d = 0; d < DIMENSIONS; d++) {
        v[d] = (float) random.nextGaussian();
        norm += v[d] * v[d];
      }
      for (int d = 0; d < DIMENSIONS; d++) {
        v[d] = (float) (v[d] / Math.sqrt(norm));
      }
    }
    return out;
  }
}
