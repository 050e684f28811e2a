package dev.spotbatch.bench;

import java.util.ArrayList;
import java.util.List;

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
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    List<String> rows = new ArrayList<>();
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
}
