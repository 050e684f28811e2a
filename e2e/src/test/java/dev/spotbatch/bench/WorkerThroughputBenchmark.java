package dev.spotbatch.bench;

import dev.spotbatch.e2e.Sentences;
import dev.spotbatch.worker.inference.EmbeddingModel;
import dev.spotbatch.worker.inference.InferenceDevice;
import dev.spotbatch.worker.inference.MiniLmOnnxModel;
import dev.spotbatch.worker.inference.ModelRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Benchmark (a): records/s of a bare loop over the model (embed batches of {@code batchSize}, one
 * thread) versus one worker end to end — leasing items from the queue, reading byte ranges from the
 * local store, batching, writing parts, publishing events, acknowledging — with the same batch size
 * and ONNX Runtime threads. With several queue types (SQS on ElasticMQ, Kafka share groups on an
 * in-process broker) one worker per type runs in the same JVM on the same job; each round runs the
 * bare loop and then each worker (their order alternating by round), so all see the same machine
 * state.
 */
final class WorkerThroughputBenchmark {
  private final int records;
  private final int rounds;
  private final int batchSize;
  private final int intraOpThreads;
  private final long itemBytes;
  private final List<String> queueTypes;
  private String modelName = MiniLmOnnxModel.NAME;
  private InferenceDevice device = InferenceDevice.cpu();
  private List<String> corpus; // null: the project's short Sentences
  private String corpusName = "Sentences";
  private List<String> extraWorkerArgs = List.of();
  private String what = "(a) worker end to end / bare model loop";

  WorkerThroughputBenchmark(
      int records, int rounds, int batchSize, int intraOpThreads, long itemBytes) {
    this(records, rounds, batchSize, intraOpThreads, itemBytes, List.of("sqs"));
  }

  /** The same benchmark on other texts (no quotes or backslashes in them). */
  WorkerThroughputBenchmark withCorpus(String name, List<String> texts) {
    this.corpusName = name;
    this.corpus = List.copyOf(texts);
    return this;
  }

  /** The worker started with these arguments too, and its row described as {@code what}. */
  WorkerThroughputBenchmark withWorker(String what, List<String> args) {
    this.what = what;
    this.extraWorkerArgs = List.copyOf(args);
    return this;
  }

  /** The same benchmark with another built-in model (e.g. {@code all-minilm-l6-v2-q}). */
  WorkerThroughputBenchmark withModel(String name) {
    this.modelName = name;
    return this;
  }

  /** The same benchmark with the bare loop and the worker on {@code device} (e.g. a GPU). */
  WorkerThroughputBenchmark on(InferenceDevice device) {
    this.device = device;
    return this;
  }

  WorkerThroughputBenchmark(
      int records,
      int rounds,
      int batchSize,
      int intraOpThreads,
      long itemBytes,
      List<String> queueTypes) {
    this.records = records;
    this.rounds = rounds;
    this.batchSize = batchSize;
    this.intraOpThreads = intraOpThreads;
    this.itemBytes = itemBytes;
    this.queueTypes = List.copyOf(queueTypes);
  }

  /** The worker/bare row; with two queue types also one row per type and the second/first row. */
  List<String> run() throws Exception {
    Path dir = Files.createTempDirectory("spotbatch-bench-");
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < records; i++) {
      texts.add(corpus == null ? Sentences.sentence(i) : corpus.get(i % corpus.size()));
    }
    BenchWorker.Input input =
        BenchWorker.Input.write(dir, records, texts::get, itemBytes, modelName);
    BenchWorker.Settings settings =
        new BenchWorker.Settings(
            batchSize, intraOpThreads, device.gpu() ? "gpu" : "cpu", device.gpuId());

    List<Double> bare = new ArrayList<>();
    Map<String, List<Double>> worker = new LinkedHashMap<>();
    Map<String, List<Double>> ratios = new LinkedHashMap<>();
    List<Double> secondOverFirst = new ArrayList<>();
    List<Double> bareCpuPerK = new ArrayList<>();
    Map<String, List<Double>> workerCpuPerK = new LinkedHashMap<>();
    Map<String, BenchWorker> workers = new LinkedHashMap<>();
    List<AutoCloseable> open = new ArrayList<>();
    try (ModelRegistry models =
        ModelRegistry.withBuiltIns(dir.resolve("models"), intraOpThreads, device)) {
      EmbeddingModel model = models.get(modelName);
      for (String type : queueTypes) {
        BenchQueue broker = BenchQueue.start(type);
        open.add(broker);
        BenchWorker w = BenchWorker.start(broker, type, dir, settings, extraWorkerArgs);
        open.add(w);
        workers.put(type, w);
        worker.put(type, new ArrayList<>());
        ratios.put(type, new ArrayList<>());
      }
      // warm up every path (JIT, model load, first connections)
      bareRecordsPerSecond(model, texts.subList(0, Math.min(512, texts.size())));
      for (var e : workers.entrySet()) {
        e.getValue().run(input, e.getKey() + "-warmup");
      }
      for (int round = 1; round <= rounds; round++) {
        CpuMeter bareCpu = CpuMeter.start();
        double b = bareRecordsPerSecond(model, texts);
        CpuMeter.Phase bareUsed = bareCpu.stop();
        bare.add(b);
        bareCpuPerK.add(bareUsed.perThousand(records));
        List<String> order = new ArrayList<>(workers.keySet());
        if (round % 2 == 0) {
          java.util.Collections.reverse(order);
        }
        Map<String, Double> thisRound = new LinkedHashMap<>();
        for (String type : order) {
          BenchWorker s = workers.get(type);
          CpuMeter workerCpu = CpuMeter.start();
          double modelBefore = s.modelSeconds();
          double w = s.run(input, type + "-r" + round);
          CpuMeter.Phase workerUsed = workerCpu.stop();
          // the share of the run the model was busy: what the worker leaves on the table
          System.out.printf(
              Locale.ROOT,
              "round %d: worker on %s kept the model busy %.1f%% of the run%n",
              round,
              type,
              100.0 * (s.modelSeconds() - modelBefore) / (records / w));
          workerCpuPerK
              .computeIfAbsent(type, k -> new ArrayList<>())
              .add(workerUsed.perThousand(records));
          System.out.printf(
              Locale.ROOT,
              "round %d: process CPU ms per 1000 records: bare %.0f, worker on %s %.0f;"
                  + " bare threads: %s; worker threads: %s%n",
              round,
              bareUsed.perThousand(records),
              type,
              workerUsed.perThousand(records),
              bareUsed.top(records, 3),
              workerUsed.top(records, 8));
          thisRound.put(type, w);
          worker.get(type).add(w);
          ratios.get(type).add(w / b);
          System.out.printf(
              Locale.ROOT,
              "round %d: bare %.1f rec/s, worker on %s %.1f rec/s, ratio %.3f, load %s%n",
              round,
              b,
              type,
              w,
              w / b,
              Load.now());
        }
        if (queueTypes.size() == 2) {
          double r = thisRound.get(queueTypes.get(1)) / thisRound.get(queueTypes.get(0));
          secondOverFirst.add(r);
          System.out.printf(
              Locale.ROOT,
              "round %d: %s / %s %.3f%n",
              round,
              queueTypes.get(1),
              queueTypes.get(0),
              r);
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
    String setup =
        String.format(
            Locale.ROOT,
            "%s, %d records (%s), batch %d, %d intra-op threads, items of %d bytes",
            modelName,
            records,
            corpusName,
            batchSize,
            intraOpThreads,
            itemBytes);
    List<String> rows = new ArrayList<>();
    for (String type : queueTypes) {
      String what =
          queueTypes.equals(List.of("sqs"))
              ? this.what
              : "(a) worker end to end on " + type + " / bare model loop";
      rows.add(
          String.format(
              Locale.ROOT,
              "| %s | %s | bare rec/s: %s | worker rec/s: %s | ratio %s |",
              what,
              setup,
              Stats.list(bare),
              Stats.list(worker.get(type)),
              Stats.describe(ratios.get(type))));
    }
    for (String type : queueTypes) {
      List<Double> cpuRatio = new ArrayList<>();
      for (int i = 0; i < bareCpuPerK.size(); i++) {
        cpuRatio.add(bareCpuPerK.get(i) / workerCpuPerK.get(type).get(i));
      }
      rows.add(
          String.format(
              Locale.ROOT,
              "| (a-cpu) process CPU per record, bare loop / worker on %s | %s | bare CPU ms per"
                  + " 1,000 rec: %s | worker CPU ms per 1,000 rec: %s | ratio %s |",
              type,
              setup,
              Stats.list(bareCpuPerK),
              Stats.list(workerCpuPerK.get(type)),
              Stats.describe(cpuRatio)));
    }
    if (queueTypes.size() == 2) {
      String first = queueTypes.get(0);
      String second = queueTypes.get(1);
      rows.add(
          String.format(
              Locale.ROOT,
              "| (a') worker end to end on %s / on %s | %s; same job, same run, alternating"
                  + " | %s rec/s: %s | %s rec/s: %s | ratio %s |",
              second,
              first,
              setup,
              first,
              Stats.list(worker.get(first)),
              second,
              Stats.list(worker.get(second)),
              Stats.describe(secondOverFirst)));
    }
    return rows;
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
