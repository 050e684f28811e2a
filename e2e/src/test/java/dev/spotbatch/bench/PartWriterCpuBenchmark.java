package dev.spotbatch.bench;

import dev.spotbatch.worker.output.PartWriter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The item thread's CPU for writing result lines of 384 floats (issue 13 point 1): the line builder
 * as it was (a new builder per line, JDK 17's {@code Float.toString}, chars through an encoder)
 * against {@link PartWriter} now (Schubfach text, bytes in one reused buffer), alternating in one
 * JVM, in CPU time of the writing thread, so the machine's load moves it little.
 */
final class PartWriterCpuBenchmark {
  private final int records;
  private final int rounds;

  PartWriterCpuBenchmark(int records, int rounds) {
    this.records = records;
    this.rounds = rounds;
  }

  List<String> run() throws IOException {
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    Random random = new Random(1);
    float[][] vectors = new float[records][384];
    for (float[] v : vectors) {
      double norm = 0;
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) random.nextGaussian();
        norm += v[i] * v[i];
      }
      for (int i = 0; i < v.length; i++) {
        v[i] /= (float) Math.sqrt(norm);
      }
    }
    Path dir = Files.createTempDirectory("spotbatch-bench-writer-");
    List<Double> before = new ArrayList<>();
    List<Double> now = new ArrayList<>();
    for (int round = 0; round < rounds + 2; round++) { // two warm-up rounds (JIT)
      long t0 = cpu.getCurrentThreadCpuTime();
      writeAsBefore(dir, vectors);
      long t1 = cpu.getCurrentThreadCpuTime();
      try (PartWriter w = new PartWriter(dir)) {
        for (int i = 0; i < vectors.length; i++) {
          w.write("r" + i, vectors[i]);
        }
      }
      long t2 = cpu.getCurrentThreadCpuTime();
      if (round >= 2) {
        before.add((t1 - t0) / 1e6 * 1000 / records);
        now.add((t2 - t1) / 1e6 * 1000 / records);
        System.out.printf(
            Locale.ROOT,
            "round %d: CPU ms per 1000 lines: before %.1f, now %.1f, load %s%n",
            round - 1,
            before.get(before.size() - 1),
            now.get(now.size() - 1),
            Load.now());
      }
    }
    List<Double> ratio = new ArrayList<>();
    for (int i = 0; i < before.size(); i++) {
      ratio.add(now.get(i) / before.get(i));
    }
    return List.of(
        String.format(
            Locale.ROOT,
            "| (a-w) result lines, item thread CPU: now / before | %d lines of 384 unit-vector"
                + " floats to a local temp part | before (JDK Float.toString) CPU ms per 1,000: %s"
                + " | now (Schubfach, bytes) CPU ms per 1,000: %s | ratio %s |",
            records,
            Stats.list(before),
            Stats.list(now),
            Stats.describe(ratio)));
  }

  /** The line builder of PartWriter before issue 13 (commit a3adf4f), kept here as the baseline. */
  private static void writeAsBefore(Path dir, float[][] vectors) throws IOException {
    Path file = Files.createTempFile(dir, "before-", ".jsonl");
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int r = 0; r < vectors.length; r++) {
        float[] e = vectors[r];
        StringBuilder sb = new StringBuilder(16 + e.length * 12);
        sb.append("{\"id\":\"r").append(r).append("\",\"embedding\":[");
        for (int i = 0; i < e.length; i++) {
          if (i > 0) {
            sb.append(',');
          }
          if (!Float.isFinite(e[i])) {
            throw new IllegalArgumentException("non-finite");
          }
          sb.append(Float.toString(e[i]));
        }
        sb.append("]}\n");
        w.append(sb);
      }
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
