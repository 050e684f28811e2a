package dev.spotbatch.bench;

import dev.spotbatch.e2e.Sentences;
import dev.spotbatch.event.ItemCompleted;
import dev.spotbatch.event.ItemStarted;
import dev.spotbatch.event.WorkerEvent;
import dev.spotbatch.model.Attempts;
import dev.spotbatch.model.ByteRange;
import dev.spotbatch.model.InputFormat;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.queue.EventDelivery;
import dev.spotbatch.queue.EventQueue;
import dev.spotbatch.queue.WorkSubmitter;
import dev.spotbatch.task.ChunkOptions;
import dev.spotbatch.task.ModelRef;
import dev.spotbatch.task.TaskSpec;
import dev.spotbatch.task.TaskType;
import dev.spotbatch.worker.WorkerApplication;
import dev.spotbatch.worker.inference.MiniLmOnnxModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Benchmark (t): one worker (SQS on ElasticMQ) end to end on documents of several sentences, three
 * jobs per round in alternating order: {@code embed} of whole documents (the baseline), {@code
 * chunk} alone, and {@code clean, chunk, embed}. Documents per second, and output rows (chunks) per
 * second.
 */
final class TaskChainBenchmark {
  private static final ChunkOptions CHUNKS = new ChunkOptions(64, 8, null);

  private final int docs;
  private final int rounds;
  private final int intraOpThreads;

  TaskChainBenchmark(int docs, int rounds, int intraOpThreads) {
    this.docs = docs;
    this.rounds = rounds;
    this.intraOpThreads = intraOpThreads;
  }

  List<String> run() throws Exception {
    Path dir = Files.createTempDirectory("spotbatch-bench-tasks-");
    Path input = dir.resolve("in/docs.jsonl");
    Files.createDirectories(input.getParent());
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < docs; i++) {
      StringBuilder text = new StringBuilder();
      for (int s = 0; s < 8; s++) {
        text.append(s == 0 ? "" : " ").append(Sentences.sentence(i * 8 + s));
      }
      lines.add("{\"id\":\"d" + i + "\",\"text\":\"" + text + "\"}");
    }
    Files.write(input, lines, StandardCharsets.UTF_8);
    long size = Files.size(input);
    ModelRef minilm = ModelRef.builtIn(MiniLmOnnxModel.NAME);
    Map<String, TaskSpec> jobs = new LinkedHashMap<>();
    jobs.put("embed (whole documents)", TaskSpec.embed(MiniLmOnnxModel.NAME));
    jobs.put("chunk", new TaskSpec(List.of(TaskType.CHUNK), null, CHUNKS, null, null, null, null));
    jobs.put(
        "clean,chunk,embed",
        new TaskSpec(
            List.of(TaskType.CLEAN, TaskType.CHUNK, TaskType.EMBED),
            minilm,
            CHUNKS,
            null,
            null,
            null,
            null));
    Map<String, List<Double>> docsPerSecond = new LinkedHashMap<>();
    Map<String, List<Double>> rowsPerSecond = new LinkedHashMap<>();
    jobs.keySet().forEach(k -> docsPerSecond.put(k, new ArrayList<>()));
    jobs.keySet().forEach(k -> rowsPerSecond.put(k, new ArrayList<>()));
    try (BenchQueue broker = BenchQueue.start("sqs")) {
      broker.ensure("bench-work", "bench-events");
      try (WorkSubmitter work = broker.submitter("bench-work", "bench-events");
          EventQueue events = broker.eventQueue("bench-work", "bench-events");
          ConfigurableApplicationContext worker = startWorker(broker, dir)) {
        for (var e : jobs.entrySet()) { // warm-up
          run(work, events, input, size, dir, e.getValue(), "warmup-" + jobs.size());
        }
        for (int round = 1; round <= rounds; round++) {
          List<String> order = new ArrayList<>(jobs.keySet());
          if (round % 2 == 0) {
            java.util.Collections.reverse(order);
          }
          for (String name : order) {
            double[] r = run(work, events, input, size, dir, jobs.get(name), "r" + round + name);
            docsPerSecond.get(name).add(docs / r[0]);
            rowsPerSecond.get(name).add(r[1] / r[0]);
            System.out.printf(
                Locale.ROOT,
                "round %d: %s %.1f docs/s, %.1f rows/s%n",
                round,
                name,
                docs / r[0],
                r[1] / r[0]);
          }
        }
      }
    }
    String setup =
        String.format(
            Locale.ROOT,
            "%d documents of 8 sentences, chunks of 64 tokens overlapping 8, batch 32, %d intra-op"
                + " threads",
            docs,
            intraOpThreads);
    String base = "embed (whole documents)";
    List<String> rows = new ArrayList<>();
    for (String name : List.of("chunk", "clean,chunk,embed")) {
      List<Double> ratio = new ArrayList<>();
      for (int i = 0; i < rounds; i++) {
        ratio.add(docsPerSecond.get(name).get(i) / docsPerSecond.get(base).get(i));
      }
      rows.add(
          String.format(
              Locale.ROOT,
              "| (t) worker `%s` / worker `embed` of whole documents | %s | embed docs/s: %s |"
                  + " %s docs/s: %s (rows/s: %s) | ratio %s |",
              name,
              setup,
              Stats.list(docsPerSecond.get(base)),
              name,
              Stats.list(docsPerSecond.get(name)),
              Stats.list(rowsPerSecond.get(name)),
              Stats.describe(ratio)));
    }
    return rows;
  }

  /** Runs one job to its end: {seconds, output rows}. */
  private double[] run(
      WorkSubmitter work,
      EventQueue events,
      Path input,
      long size,
      Path dir,
      TaskSpec spec,
      String run) {
    String jobId = "bench-" + run.replaceAll("[^A-Za-z0-9-]", "-");
    String out = dir.resolve("out/" + jobId).toUri().toString();
    out = out.endsWith("/") ? out : out + "/";
    long itemBytes = 32 * 1024;
    List<WorkItem> items = new ArrayList<>();
    int index = 0;
    for (long start = 0; start < size; start += itemBytes) {
      items.add(
          new WorkItem(
              jobId,
              jobId + "-" + index,
              index,
              spec.model() == null ? "none" : spec.model().name(),
              input.toUri().toString(),
              "docs.jsonl",
              new ByteRange(start, Math.min(size, start + itemBytes)),
              InputFormat.JSONL,
              "text",
              "id",
              out,
              Attempts.NONE,
              3,
              spec));
      index++;
    }
    long t0 = System.nanoTime();
    work.send(items);
    long rows = 0;
    int completed = 0;
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (completed < items.size()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("worker did not finish " + run);
      }
      List<EventDelivery> batch = events.receive(10, Duration.ofSeconds(1));
      for (EventDelivery d : batch) {
        WorkerEvent e = d.event();
        if (e instanceof ItemCompleted c && c.jobId().equals(jobId)) {
          completed++;
          rows += c.recordsSucceeded();
        } else if (!(e instanceof ItemCompleted) && !(e instanceof ItemStarted)) {
          throw new IllegalStateException("unexpected event " + e);
        }
      }
      events.acknowledge(batch);
    }
    return new double[] {(System.nanoTime() - t0) / 1e9, rows};
  }

  private ConfigurableApplicationContext startWorker(BenchQueue broker, Path dir) {
    List<String> args = new ArrayList<>();
    args.add("--server.port=0");
    args.addAll(broker.workerArgs("bench-work", "bench-events"));
    args.addAll(
        List.of(
            "--spotbatch.worker.id=bench-tasks",
            "--spotbatch.worker.allowed-roots=" + dir.toUri(),
            "--spotbatch.worker.model-cache-dir=" + dir.resolve("models"),
            "--spotbatch.worker.batch-size=32",
            "--spotbatch.worker.inference-threads=1",
            "--spotbatch.worker.intra-op-threads=" + intraOpThreads,
            "--spotbatch.worker.concurrency=2",
            "--spotbatch.worker.poll-wait=1s",
            "--logging.level.root=WARN"));
    return new SpringApplicationBuilder(WorkerApplication.class).run(args.toArray(String[]::new));
  }
}
