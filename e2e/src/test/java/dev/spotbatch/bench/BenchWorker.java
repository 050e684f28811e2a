package dev.spotbatch.bench;

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
import dev.spotbatch.worker.WorkerApplication;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One worker ({@code WorkerApplication} in this JVM) on a pair of a {@link BenchQueue}'s queues,
 * with the benchmark's own clients of the pair: {@link #run} enqueues a job of byte-range items
 * over one JSONL file, reads the worker's events until every item completed, and gives records/s.
 */
final class BenchWorker implements AutoCloseable {
  /** The common worker settings: one inference thread, two items at once, short polls. */
  record Settings(int batchSize, int intraOpThreads, String device, int gpuId) {
    List<String> args() {
      return List.of(
          "--spotbatch.worker.batch-size=" + batchSize,
          "--spotbatch.worker.inference-threads=1",
          "--spotbatch.worker.intra-op-threads=" + intraOpThreads,
          "--spotbatch.worker.concurrency=2",
          "--spotbatch.worker.poll-wait=1s",
          "--spotbatch.worker.device=" + device,
          "--spotbatch.worker.gpu-id=" + gpuId,
          "--logging.level.root=WARN");
    }
  }

  /** A JSONL input of {@code records} texts, cut into items of {@code itemBytes}. */
  record Input(Path dir, Path file, long size, int records, long itemBytes, String modelName) {
    static Input write(
        Path dir, int records, IntFunction<String> text, long itemBytes, String modelName)
        throws java.io.IOException {
      Path file = dir.resolve("in/docs.jsonl");
      Files.createDirectories(file.getParent());
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < records; i++) {
        lines.add("{\"id\":\"r" + i + "\",\"text\":\"" + text.apply(i) + "\"}");
      }
      Files.write(file, lines, StandardCharsets.UTF_8);
      return new Input(dir, file, Files.size(file), records, itemBytes, modelName);
    }
  }

  private final WorkSubmitter work;
  private final EventQueue events;
  private final ConfigurableApplicationContext context;

  private BenchWorker(
      WorkSubmitter work, EventQueue events, ConfigurableApplicationContext context) {
    this.work = work;
    this.events = events;
    this.context = context;
  }

  /**
   * Starts a worker with id {@code bench-<id>} on queues {@code <id>-work} and {@code <id>-events}
   * of {@code broker}, with {@code settings} and then {@code extraArgs} (which win).
   */
  static BenchWorker start(
      BenchQueue broker, String id, Path dir, Settings settings, List<String> extraArgs) {
    String workName = id + "-work";
    String eventsName = id + "-events";
    broker.ensure(workName, eventsName);
    WorkSubmitter work = broker.submitter(workName, eventsName);
    EventQueue events = broker.eventQueue(workName, eventsName);
    List<String> args = new ArrayList<>();
    args.add("--server.port=0");
    args.addAll(broker.workerArgs(workName, eventsName));
    args.add("--spotbatch.worker.id=bench-" + id);
    args.add("--spotbatch.worker.allowed-roots=" + dir.toUri());
    args.add("--spotbatch.worker.model-cache-dir=" + dir.resolve("models"));
    args.addAll(settings.args());
    args.addAll(extraArgs);
    SpringApplicationBuilder app = new SpringApplicationBuilder(WorkerApplication.class);
    broker.prepare(app, workName, eventsName);
    return new BenchWorker(work, events, app.run(args.toArray(String[]::new)));
  }

  /** Seconds the worker's model ran batches so far (its batch latency timer). */
  double modelSeconds() {
    var timer = context.getBean(MeterRegistry.class).find("spotbatch.worker.batch.latency").timer();
    return timer == null ? Double.NaN : timer.totalTime(TimeUnit.NANOSECONDS) / 1e9;
  }

  /** Runs {@code input} as job {@code bench-<run>} to the end: records/s. */
  double run(Input input, String run) {
    String jobId = "bench-" + run;
    String out = input.dir().resolve("out/" + run).toUri().toString();
    out = out.endsWith("/") ? out : out + "/";
    List<WorkItem> items = new ArrayList<>();
    int index = 0;
    for (long start = 0; start < input.size(); start += input.itemBytes()) {
      items.add(
          new WorkItem(
              jobId,
              jobId + "-" + index,
              index,
              input.modelName(),
              input.file().toUri().toString(),
              "docs.jsonl",
              new ByteRange(start, Math.min(input.size(), start + input.itemBytes())),
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
        } else if (!(e instanceof ItemCompleted) && !(e instanceof ItemStarted)) {
          throw new IllegalStateException("unexpected event " + e);
        }
      }
      events.acknowledge(batch);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (done != input.records()) {
      throw new IllegalStateException(
          "worker processed " + done + " records, expected " + input.records());
    }
    return done / seconds;
  }

  @Override
  public void close() {
    // the worker first: its stop chain still calls the queues
    context.close();
    events.close();
    work.close();
  }
}
