package dev.spotbatch.bench;

import dev.spotbatch.worker.inference.CudaProbe;
import dev.spotbatch.worker.inference.DeviceMode;
import dev.spotbatch.worker.inference.InferenceDevice;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Entry point of {@code ./bench.sh}: runs the chosen benchmarks and prints their Markdown rows. */
public final class Benchmarks {
  private Benchmarks() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("ai.djl.offline", "true");
    String which = args.length > 0 ? args[0] : "all";
    if (which.equals("notice")) {
      // the termination-notice benchmark has its own table; its count is notices, not rounds
      int notices = args.length > 1 ? Integer.parseInt(args[1]) : 50;
      String queue = args.length > 2 ? args[2] : "sqs";
      List<String> rows = new NoticeBenchmark(notices, queue).run();
      System.out.println();
      System.out.println("| figure | n | p50 | p90 | p99 | max | mean |");
      System.out.println("|---|---|---|---|---|---|---|");
      rows.forEach(System.out::println);
      System.exit(0);
    }
    if (which.equals("load")) {
      // issue 10 point 8: many clients submitting at once; its own table
      int jobs = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
      int clients = args.length > 2 ? Integer.parseInt(args[2]) : 50;
      List<String> rows = new SubmitLoadBenchmark(jobs, clients).run();
      System.out.println();
      rows.forEach(System.out::println);
      System.exit(0);
    }
    if (which.equals("autoscale")) {
      // issue 8 point 8: the autoscaler against a fixed fleet sized by hand, same job and deadline
      int records = args.length > 1 ? Integer.parseInt(args[1]) : 4_800;
      List<String> rows = new AutoscaleBenchmark(records, Duration.ofSeconds(150), 2, 40).run();
      System.out.println();
      System.out.println(
          "| setup | backlog -> first worker ready | -> desired reached (desired) | job done"
              + " | deadline | met | worker-seconds |");
      System.out.println("|---|---|---|---|---|---|---|");
      rows.forEach(System.out::println);
      System.exit(0);
    }
    List<String> rows = new ArrayList<>();
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    if (which.equals("gpu")) {
      // issue 13 point 8: the worker benchmark on a GPU, where ONNX Runtime's CUDA provider loads
      int gpuId = args.length > 2 && args[2].matches("\\d+") ? Integer.parseInt(args[2]) : 0;
      Optional<String> why = CudaProbe.onnxRuntime().unavailable(gpuId);
      if (why.isPresent()) {
        System.out.println("no GPU present for the benchmark: " + why.get());
        System.exit(0);
      }
      InferenceDevice gpu = InferenceDevice.select(DeviceMode.GPU, gpuId, CudaProbe.onnxRuntime());
      rows.addAll(new WorkerThroughputBenchmark(4_000, rounds, 32, 1, 32 * 1024).on(gpu).run());
    }
    if (which.equals("plan")) {
      // issue 13 point 6: a sparse 10 GiB input, and many small objects (third argument, a count)
      int objects =
          args.length > 2 && args[2].matches("\\d+") ? Integer.parseInt(args[2]) : 100_000;
      rows.addAll(new PlanAtScaleBenchmark(objects, rounds).run());
    }
    if (which.equals("events")) {
      // issue 13 point 7: worker events into PostgreSQL and H2 (third argument: items per job)
      int items = args.length > 2 && args[2].matches("\\d+") ? Integer.parseInt(args[2]) : 10_000;
      rows.addAll(new EventApplyBenchmark(items, rounds, List.of(10, 100)).run());
    }
    if (which.equals("quantized")) {
      // issue 13 point 4: the int8 model beside the fp32 one, default threads, same worker setup
      int threads = Runtime.getRuntime().availableProcessors();
      rows.addAll(new WorkerThroughputBenchmark(4_000, rounds, 32, threads, 32 * 1024).run());
      rows.addAll(
          new WorkerThroughputBenchmark(4_000, rounds, 32, threads, 32 * 1024)
              .withModel("all-minilm-l6-v2-q")
              .run());
    }
    if (which.equals("startup")) {
      // issue 13 point 5: a worker process from start to its first item, by phase
      // as the local fleet starts workers: its default JVM options (spotbatch.fleet.local.
      // worker-jvm-args, C1 only) and an AppCDS archive; and this build with the JVM's defaults,
      // as the images start it
      List<String> fleet = List.of("-XX:TieredStopAtLevel=1");
      java.nio.file.Path jar = java.nio.file.Path.of(args[2]);
      List<StartupBenchmark.Variant> variants = new ArrayList<>();
      if (args.length > 3) {
        variants.add(new StartupBenchmark.Variant("before", java.nio.file.Path.of(args[3]), fleet));
      }
      variants.add(new StartupBenchmark.Variant("after", jar, fleet));
      variants.add(new StartupBenchmark.Variant("after, tiered JIT", jar, List.of()));
      // JVM options to weigh (e.g. JIT thresholds): this build once more, with them
      String opts = System.getenv().getOrDefault("STARTUP_JVM_OPTS", "").strip();
      if (!opts.isEmpty()) {
        variants.add(new StartupBenchmark.Variant("after+opts", jar, List.of(opts.split("\\s+"))));
      }
      rows.addAll(new StartupBenchmark(variants, rounds).run());
    }
    if (which.equals("formats")) {
      // issue 13 point 3: the output part's writer, JSON lines vs .npy + ids
      rows.addAll(new OutputFormatBenchmark(20_000, rounds).run());
    }
    if (which.equals("overhead")) {
      // issue 13 point 1: the worker against the bare loop with the default threads only; on the
      // in-memory queue (the worker alone) and on SQS (with ElasticMQ in this JVM)
      System.out.println("load at start: " + Load.now());
      rows.addAll(
          new WorkerThroughputBenchmark(
                  4_000,
                  rounds,
                  32,
                  Runtime.getRuntime().availableProcessors(),
                  32 * 1024,
                  queueList(args.length > 2 ? args[2] : "memory,sqs"))
              .run());
      System.out.println("load at end: " + Load.now());
    }
    if (which.equals("spinning")) {
      // issue 13 point 1: ONNX Runtime's spinning on and off, bare loop and worker, one JVM
      List<String> queues = queueList(args.length > 2 ? args[2] : "memory,sqs");
      System.out.println("load at start: " + Load.now());
      rows.addAll(
          new SpinningBenchmark(
                  4_000, rounds, 32, Runtime.getRuntime().availableProcessors(), 32 * 1024, queues)
              .run());
      System.out.println("load at end: " + Load.now());
    }
    if (which.equals("overhead") || which.equals("writer")) {
      // issue 13 point 1: the result line's CPU on the item thread, before and now
      rows.addAll(new PartWriterCpuBenchmark(4_000, Math.max(rounds, 5)).run());
    }
    if (which.equals("padding")) {
      // issue 13 point 2: batches of similar length across items vs the bare loop in input order
      int records = args.length > 2 && args[2].matches("\\d+") ? Integer.parseInt(args[2]) : 1_000;
      System.out.println("load at start: " + Load.now());
      rows.addAll(
          new WorkerThroughputBenchmark(
                  records, rounds, 32, Runtime.getRuntime().availableProcessors(), 128 * 1024)
              .withCorpus("3 to 120 words each", VariedTexts.corpus(records, 3))
              .withWorker(
                  "(p) worker batching by length / bare model loop in input order",
                  List.of("--spotbatch.worker.batch-order=length"))
              .run());
      System.out.println("load at end: " + Load.now());
    }
    if (which.equals("all") || which.equals("worker")) {
      // one ONNX Runtime thread per batch, and as many as there are cores (the worker's default)
      rows.addAll(new WorkerThroughputBenchmark(4_000, rounds, 32, 1, 32 * 1024).run());
      rows.addAll(
          new WorkerThroughputBenchmark(
                  4_000, rounds, 32, Runtime.getRuntime().availableProcessors(), 32 * 1024)
              .run());
    }
    if (which.equals("queues")) {
      // issue 4 point 5: the same worker on Kafka share groups and on SQS, same job, same run
      rows.addAll(
          new WorkerThroughputBenchmark(
                  4_000,
                  rounds,
                  32,
                  Runtime.getRuntime().availableProcessors(),
                  32 * 1024,
                  List.of("sqs", "kafka"))
              .run());
    }
    if (which.equals("all") || which.equals("tasks")) {
      // issue 14: chunk alone and clean,chunk,embed against embedding whole documents
      rows.addAll(
          new TaskChainBenchmark(600, rounds, Runtime.getRuntime().availableProcessors()).run());
    }
    if (which.equals("all") || which.equals("dispatcher")) {
      rows.add(new PlanEnqueueBenchmark(10_000, rounds).run());
    }
    System.out.println();
    System.out.println("| benchmark | setup | baseline | spotbatch | spotbatch / baseline |");
    System.out.println("|---|---|---|---|---|");
    rows.forEach(System.out::println);
    System.exit(0);
  }

  /** {@code "memory,sqs"} as a list. */
  private static List<String> queueList(String csv) {
    return java.util.Arrays.stream(csv.split(","))
        .map(String::strip)
        .filter(q -> !q.isEmpty())
        .toList();
  }
}
