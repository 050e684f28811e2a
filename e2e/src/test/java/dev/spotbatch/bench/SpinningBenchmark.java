package dev.spotbatch.bench;

import dev.spotbatch.e2e.Sentences;
import dev.spotbatch.worker.inference.EmbeddingModel;
import dev.spotbatch.worker.inference.InferenceDevice;
import dev.spotbatch.worker.inference.MiniLmOnnxModel;
import dev.spotbatch.worker.inference.ModelRegistry;
import dev.spotbatch.worker.inference.OnnxOptions;
import dev.spotbatch.worker.inference.OnnxSpinning;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Issue 13 point 1, ONNX Runtime's spinning ({@code spotbatch.worker.onnx.spinning}): the bare
 * model loop and one worker per queue type, each with spinning on and off, all in one JVM, the
 * phases of a round in one order and the next round in the reverse, so that every phase sees the
 * same machine. The bare loop's models are built exactly as the worker builds its own ({@link
 * ModelRegistry#withBuiltIns(Path, OnnxOptions, InferenceDevice)}).
 *
 * <p>Queue types: {@code memory} (common's in-memory queues handed to the worker: no queue server
 * or client in the process, the worker alone) and {@code sqs} (ElasticMQ in this process, as the
 * other worker benchmarks run it: its server's CPU shows as thread group {@code elasticmq}).
 *
 * <p>Per phase and round it prints records/s, the process CPU per 1,000 records and its thread
 * groups ({@code native} is ONNX Runtime's pool: the process less the Java and JVM threads).
 */
final class SpinningBenchmark {
  private final int records;
  private final int rounds;
  private final int batchSize;
  private final int threads;
  private final long itemBytes;
  private final List<String> queueTypes;

  SpinningBenchmark(
      int records, int rounds, int batchSize, int threads, long itemBytes, List<String> queues) {
    this.records = records;
    this.rounds = rounds;
    this.batchSize = batchSize;
    this.threads = threads;
    this.itemBytes = itemBytes;
    this.queueTypes = List.copyOf(queues);
  }

  /** One measured thing: a bare loop or a worker, with its spinning. */
  private interface Phase {
    /** Runs the job once: records/s. */
    double run(String run);

    /** Seconds the model ran so far, or NaN (bare loop: always busy). */
    double modelSeconds();
  }

  private static String label(OnnxSpinning s) {
    return "spinning " + s.name().toLowerCase(Locale.ROOT);
  }

  List<String> run() throws Exception {
    Path dir = Files.createTempDirectory("spotbatch-spinning-");
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < records; i++) {
      texts.add(Sentences.sentence(i));
    }
    BenchWorker.Input input =
        BenchWorker.Input.write(dir, records, texts::get, itemBytes, MiniLmOnnxModel.NAME);
    BenchWorker.Settings settings = new BenchWorker.Settings(batchSize, threads, "cpu", 0);

    Map<String, Phase> phases = new LinkedHashMap<>();
    Map<String, List<Double>> rates = new LinkedHashMap<>();
    Map<String, List<CpuMeter.Phase>> cpu = new LinkedHashMap<>();
    Map<String, List<Double>> busy = new LinkedHashMap<>();
    List<AutoCloseable> open = new ArrayList<>();
    try {
      for (OnnxSpinning spinning : OnnxSpinning.values()) {
        ModelRegistry registry =
            ModelRegistry.withBuiltIns(
                dir.resolve("models"), new OnnxOptions(threads, spinning), InferenceDevice.cpu());
        open.add(registry);
        EmbeddingModel model = registry.get(MiniLmOnnxModel.NAME);
        phases.put(
            "bare loop, " + label(spinning),
            new Phase() {
              @Override
              public double run(String run) {
                return bareRecordsPerSecond(model, texts);
              }

              @Override
              public double modelSeconds() {
                return Double.NaN;
              }
            });
      }
      for (String type : queueTypes) {
        BenchQueue broker = BenchQueue.start(type);
        open.add(broker);
        for (OnnxSpinning spinning : OnnxSpinning.values()) {
          String id = type + "-spin-" + spinning.name().toLowerCase(Locale.ROOT);
          BenchWorker worker =
              BenchWorker.start(
                  broker,
                  id,
                  dir,
                  settings,
                  List.of(
                      "--spotbatch.worker.onnx.spinning="
                          + spinning.name().toLowerCase(Locale.ROOT)));
          open.add(worker);
          phases.put(
              "worker on " + type + ", " + label(spinning),
              new Phase() {
                @Override
                public double run(String run) {
                  return worker.run(input, id + "-" + run);
                }

                @Override
                public double modelSeconds() {
                  return worker.modelSeconds();
                }
              });
        }
      }
      for (var e : phases.entrySet()) { // JIT, first connections, ONNX Runtime's first runs
        e.getValue().run("warmup");
        rates.put(e.getKey(), new ArrayList<>());
        cpu.put(e.getKey(), new ArrayList<>());
        busy.put(e.getKey(), new ArrayList<>());
      }
      System.out.println("load after warm-up: " + Load.now());
      for (int round = 1; round <= rounds; round++) {
        List<String> order = new ArrayList<>(phases.keySet());
        if (round % 2 == 0) {
          Collections.reverse(order);
        }
        for (String name : order) {
          Phase phase = phases.get(name);
          double modelBefore = phase.modelSeconds();
          CpuMeter meter = CpuMeter.start();
          double rate = phase.run("r" + round);
          CpuMeter.Phase used = meter.stop();
          double modelShare = (phase.modelSeconds() - modelBefore) / (records / rate);
          rates.get(name).add(rate);
          cpu.get(name).add(used);
          busy.get(name).add(modelShare);
          System.out.printf(
              Locale.ROOT,
              "round %d: %s: %.1f rec/s, process CPU %.0f ms per 1000 records (%s)%s, load %s%n",
              round,
              name,
              rate,
              used.perThousand(records),
              used.top(records, 10),
              Double.isNaN(modelShare)
                  ? ""
                  : String.format(Locale.ROOT, ", model busy %.1f%%", 100 * modelShare),
              Load.now());
        }
      }
    } finally {
      for (int i = open.size() - 1; i >= 0; i--) {
        try {
          open.get(i).close();
        } catch (Exception e) {
          System.out.println("closing " + open.get(i) + " failed: " + e);
        }
      }
    }
    return rows(rates, cpu, busy);
  }

  private List<String> rows(
      Map<String, List<Double>> rates,
      Map<String, List<CpuMeter.Phase>> cpu,
      Map<String, List<Double>> busy) {
    String setup =
        String.format(
            Locale.ROOT,
            "%s, %d records (Sentences), batch %d, %d intra-op threads, items of %d bytes",
            MiniLmOnnxModel.NAME,
            records,
            batchSize,
            threads,
            itemBytes);
    String bareOn = "bare loop, " + label(OnnxSpinning.ON);
    String bareOff = "bare loop, " + label(OnnxSpinning.OFF);
    List<String> rows = new ArrayList<>();
    rows.add(ratioRow("(s) bare loop, spinning off / on", setup, bareOn, bareOff, rates));
    for (String type : queueTypes) {
      String on = "worker on " + type + ", " + label(OnnxSpinning.ON);
      String off = "worker on " + type + ", " + label(OnnxSpinning.OFF);
      rows.add(ratioRow("(s) " + on + " / " + bareOn, setup, bareOn, on, rates));
      rows.add(ratioRow("(s) " + off + " / " + bareOn, setup, bareOn, off, rates));
      rows.add(ratioRow("(s) " + off + " / " + bareOff, setup, bareOff, off, rates));
      rows.add(ratioRow("(s) " + off + " / " + on, setup, on, off, rates));
    }
    rows.add("");
    rows.add(
        "| phase | rec/s by round | process CPU ms per 1,000 records by round | median CPU ms per"
            + " 1,000 records by thread group | model busy |");
    rows.add("|---|---|---|---|---|");
    for (String name : rates.keySet()) {
      List<Double> perK = cpu.get(name).stream().map(p -> p.perThousand(records)).toList();
      Map<String, List<Double>> groups = new TreeMap<>();
      for (CpuMeter.Phase p : cpu.get(name)) {
        for (String g : p.threadNanos().keySet()) {
          groups.computeIfAbsent(g, k -> new ArrayList<>());
        }
      }
      for (CpuMeter.Phase p : cpu.get(name)) {
        groups.forEach((g, list) -> list.add(p.groupPerThousand(g, records)));
      }
      StringBuilder by = new StringBuilder();
      groups.entrySet().stream()
          .map(e -> Map.entry(e.getKey(), Stats.median(e.getValue())))
          .filter(e -> e.getValue() >= 1.0)
          .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
          .forEach(
              e ->
                  by.append(by.length() == 0 ? "" : ", ")
                      .append(e.getKey())
                      .append(' ')
                      .append(String.format(Locale.ROOT, "%.0f", e.getValue())));
      List<Double> shares = busy.get(name).stream().filter(d -> !Double.isNaN(d)).toList();
      rows.add(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %s | %s |",
              name,
              Stats.list(rates.get(name)),
              Stats.list(perK),
              by,
              shares.isEmpty()
                  ? "-"
                  : String.format(Locale.ROOT, "%.1f%% (median)", 100 * Stats.median(shares))));
    }
    return rows;
  }

  private static String ratioRow(
      String what,
      String setup,
      String baseline,
      String measured,
      Map<String, List<Double>> rates) {
    List<Double> b = rates.get(baseline);
    List<Double> m = rates.get(measured);
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < b.size(); i++) {
      ratios.add(m.get(i) / b.get(i));
    }
    return String.format(
        Locale.ROOT,
        "| %s | %s | %s rec/s: %s | %s rec/s: %s | ratio %s |",
        what,
        setup,
        baseline,
        Stats.list(b),
        measured,
        Stats.list(m),
        Stats.describe(ratios));
  }

  private double bareRecordsPerSecond(EmbeddingModel model, List<String> texts) {
    long t0 = System.nanoTime();
    for (int i = 0; i < texts.size(); i += batchSize) {
      float[][] out = model.embed(texts.subList(i, Math.min(texts.size(), i + batchSize)));
      if (out.length == 0) {
        throw new IllegalStateException("no embeddings");
      }
    }
    return texts.size() / ((System.nanoTime() - t0) / 1e9);
  }
}
