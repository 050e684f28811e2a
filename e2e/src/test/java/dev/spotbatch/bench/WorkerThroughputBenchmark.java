package dev.spotbatch.bench;

import dev.spotbatch.codec.MessageCodec;
import dev.spotbatch.e2e.Sentences;
import dev.spotbatch.event.ItemCompleted;
import dev.spotbatch.event.WorkerEvent;
import dev.spotbatch.model.Attempts;
import dev.spotbatch.model.ByteRange;
import dev.spotbatch.model.InputFormat;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.queue.EventDelivery;
import dev.spotbatch.queue.sqs.SqsEventQueue;
import dev.spotbatch.queue.sqs.SqsOptions;
import dev.spotbatch.queue.sqs.SqsQueues;
import dev.spotbatch.queue.sqs.SqsWorkQueue;
import dev.spotbatch.testing.ElasticMqServer;
import dev.spotbatch.worker.WorkerApplication;
import dev.spotbatch.worker.inference.EmbeddingModel;
import dev.spotbatch.worker.inference.MiniLmOnnxModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Benchmark (a): records/s of a bare loop over the model (embed batches of {@code batchSize}, one
 * thread) versus one worker end to end — leasing items from ElasticMQ, reading byte ranges from the
 * local store, batching, writing parts, publishing events, acknowledging — with the same batch size
 * and ONNX Runtime threads. Runs alternate, so both see the same machine state.
 */
final class WorkerThroughputBenchmark {
  private final int records;
  private final int rounds;
  private final int batchSize;
  private final int intraOpThreads;
  private final long itemBytes;

  WorkerThroughputBenchmark(
      int records, int rounds, int batchSize, int intraOpThreads, long itemBytes) {
    this.records = records;
    this.rounds = rounds;
    this.batchSize = batchSize;
    this.intraOpThreads = intraOpThreads;
    this.itemBytes = itemBytes;
  }

  String run() throws Exception {
    Path dir = Files.createTempDirectory("spotbatch-bench-");
    Path input = dir.resolve("in/docs.jsonl");
    Files.createDirectories(input.getParent());
    List<String> texts = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < records; i++) {
      String text = Sentences.sentence(i);
      texts.add(text);
      lines.add("{\"id\":\"r" + i + "\",\"text\":\"" + text + "\"}");
    }
    Files.write(input, lines, StandardCharsets.UTF_8);
    long size = Files.size(input);

    List<Double> bare = new ArrayList<>();
    List<Double> worker = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    try (ElasticMqServer sqs = ElasticMqServer.start();
        EmbeddingModel model = MiniLmOnnxModel.load(dir.resolve("models"), intraOpThreads)) {
      String workUrl = SqsQueues.ensure(sqs.client(), "bench-work", 10).queueUrl();
      String eventsUrl = SqsQueues.ensure(sqs.client(), "bench-events", 10).queueUrl();
      MessageCodec codec = new MessageCodec();
      try (SqsWorkQueue work =
              new SqsWorkQueue(
                  sqs.client(), workUrl, codec, Clock.systemUTC(), SqsOptions.defaults());
          SqsEventQueue events =
              new SqsEventQueue(sqs.client(), eventsUrl, codec, SqsOptions.defaults());
          ConfigurableApplicationContext app = startWorker(sqs, dir)) {
        // warm up both paths (JIT, model load, first connections)
        bareRecordsPerSecond(model, texts.subList(0, Math.min(512, texts.size())));
        workerRecordsPerSecond(work, events, input, size, dir, "warmup");
        for (int round = 1; round <= rounds; round++) {
          double b = bareRecordsPerSecond(model, texts);
          double w = workerRecordsPerSecond(work, events, input, size, dir, "r" + round);
          bare.add(b);
          worker.add(w);
          ratios.add(w / b);
          System.out.printf(
              Locale.ROOT,
              "round %d: bare %.1f rec/s, worker %.1f rec/s, ratio %.3f%n",
              round,
              b,
              w,
              w / b);
        }
      }
    }
    return String.format(
        Locale.ROOT,
        "| (a) worker end to end / bare model loop | %d records, batch %d, %d intra-op threads, items of %d bytes | bare rec/s: %s | worker rec/s: %s | ratio %s |",
        records,
        batchSize,
        intraOpThreads,
        itemBytes,
        Stats.list(bare),
        Stats.list(worker),
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

  private double workerRecordsPerSecond(
      SqsWorkQueue work, SqsEventQueue events, Path input, long size, Path dir, String run) {
    String jobId = "bench-" + run;
    String out = dir.resolve("out/" + run).toUri().toString();
    out = out.endsWith("/") ? out : out + "/";
    List<WorkItem> items = new ArrayList<>();
    int index = 0;
    for (long start = 0; start < size; start += itemBytes) {
      items.add(
          new WorkItem(
              jobId,
              jobId + "-" + index,
              index,
              MiniLmOnnxModel.NAME,
              input.toUri().toString(),
              "docs.jsonl",
              new ByteRange(start, Math.min(size, start + itemBytes)),
              InputFormat.JSONL,
              "text",
              "id",
              out,
              Attempts.NONE,
              3));
      index++;
    }
    long t0 = System.nanoTime();
    work.send(items);
    long done = 0;
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
          done += c.recordsSucceeded();
        } else if (!(e instanceof ItemCompleted)) {
          throw new IllegalStateException("unexpected event " + e);
        }
      }
      events.acknowledge(batch);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (done != records) {
      throw new IllegalStateException("worker processed " + done + " records, expected " + records);
    }
    return done / seconds;
  }

  private ConfigurableApplicationContext startWorker(ElasticMqServer sqs, Path dir) {
    return new SpringApplicationBuilder(WorkerApplication.class)
        .run(
            "--server.port=0",
            "--spring.cloud.aws.sqs.endpoint=" + sqs.endpoint(),
            "--spring.cloud.aws.region.static=us-east-1",
            "--spring.cloud.aws.credentials.access-key=bench",
            "--spring.cloud.aws.credentials.secret-key=bench",
            "--spotbatch.queue.work=bench-work",
            "--spotbatch.queue.events=bench-events",
            "--spotbatch.worker.allowed-roots=" + dir.toUri(),
            "--spotbatch.worker.model-cache-dir=" + dir.resolve("models"),
            "--spotbatch.worker.batch-size=" + batchSize,
            "--spotbatch.worker.inference-threads=1",
            "--spotbatch.worker.intra-op-threads=" + intraOpThreads,
            "--spotbatch.worker.concurrency=2",
            "--spotbatch.worker.poll-wait=1s",
            "--logging.level.root=WARN");
  }
}
