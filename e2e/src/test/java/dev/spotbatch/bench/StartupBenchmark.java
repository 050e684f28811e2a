package dev.spotbatch.bench;

import dev.spotbatch.dispatcher.fleet.local.WorkerClassData;
import dev.spotbatch.event.ItemCompleted;
import dev.spotbatch.model.Attempts;
import dev.spotbatch.model.ByteRange;
import dev.spotbatch.model.InputFormat;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.queue.EventDelivery;
import dev.spotbatch.queue.EventQueue;
import dev.spotbatch.queue.WorkSubmitter;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark (s), issue 13 point 5: a worker process from its start to its first item, by phase,
 * with the model already extracted to local disk. Each variant is a worker jar started as the local
 * fleet starts it: extracted, with its own class-data archive (AppCDS, {@link WorkerClassData},
 * trained by that jar's own code) and JVM options; the variants alternate round by round so they
 * see the same machine. Phases come from the worker's own log lines, stamped as they arrive; the
 * first lease is bounded above by the first {@code ItemCompleted} of a one-record item, queued
 * before the process starts. Also the process's CPU seconds when the lease loop starts, which a
 * loaded machine inflates far less than the wall clock.
 */
final class StartupBenchmark {
  /** Log lines that end each phase, in order. */
  private static final Map<String, String> MARKS = new LinkedHashMap<>();

  static {
    MARKS.put("jvm up, Spring Boot starting", "Starting WorkerApplication");
    MARKS.put("web server created", "Tomcat initialized");
    MARKS.put("queues connected", "SQS queue startup-events is");
    MARKS.put("model loaded and run once, beside the context", "beside the context");
    MARKS.put("Spring context built", "starting: concurrency");
    MARKS.put("model ready (preload done)", "loaded and warmed up");
    MARKS.put("lease loop started", "worker started");
  }

  private static final String CPU = "CPU s of the process at the lease loop's start";
  private static final String FIRST = "first item's ItemCompleted received";

  /** One way of starting a worker: a jar and extra JVM options. */
  record Variant(String name, Path jar, List<String> jvmArgs) {}

  private final List<Variant> variants;
  private final int rounds;

  StartupBenchmark(List<Variant> variants, int rounds) {
    this.variants = List.copyOf(variants);
    this.rounds = rounds;
  }

  List<String> run() throws Exception {
    Path dir = Files.createTempDirectory("spotbatch-bench-startup-");
    Path input = dir.resolve("in/one.jsonl");
    Files.createDirectories(input.getParent());
    Files.writeString(input, "{\"id\":\"a\",\"text\":\"hello\"}\n");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Map<String, Map<String, List<Double>>> results = new LinkedHashMap<>();
    try (BenchQueue broker = BenchQueue.start("sqs")) {
      broker.ensure("startup-work", "startup-events");
      List<String> args = new ArrayList<>(broker.workerArgs("startup-work", "startup-events"));
      args.addAll(
          List.of(
              "--server.port=0",
              "--spotbatch.worker.id=startup",
              "--spotbatch.worker.allowed-roots=" + dir.toUri(),
              "--spotbatch.worker.model-cache-dir=" + dir.resolve("models"),
              "--spotbatch.worker.notice.provider=none",
              "--spotbatch.worker.poll-wait=1s"));
      Map<Variant, List<String>> launches = new LinkedHashMap<>();
      for (Variant v : variants) {
        Optional<WorkerClassData.Prepared> prepared =
            WorkerClassData.prepare(
                java,
                v.jar(),
                dir.resolve("class-data-" + variants.indexOf(v)),
                v.jvmArgs(),
                j -> args,
                Map.of("OPT_OUT_TRACKING", "true"),
                WorkerClassData::runProcess,
                Duration.ofMinutes(5));
        if (prepared.isEmpty()) {
          throw new IllegalStateException("no class-data archive for " + v.name() + "; see " + dir);
        }
        List<String> launch = new ArrayList<>(v.jvmArgs());
        launch.addAll(List.of(prepared.get().jvmArg(), "-jar", prepared.get().jar().toString()));
        launches.put(v, launch);
      }
      try (WorkSubmitter work = broker.submitter("startup-work", "startup-events");
          EventQueue events = broker.eventQueue("startup-work", "startup-events")) {
        for (var e : launches.entrySet()) {
          // warm-up: extracts the model to local disk and warms the page cache
          once(
              java,
              e.getValue(),
              args,
              work,
              events,
              input,
              dir,
              "w" + variants.indexOf(e.getKey()));
        }
        for (int round = 1; round <= rounds; round++) {
          List<Variant> order = new ArrayList<>(launches.keySet());
          if (round % 2 == 0) {
            Collections.reverse(order);
          }
          for (Variant v : order) {
            add(
                results.computeIfAbsent(v.name(), k -> new LinkedHashMap<>()),
                once(
                    java,
                    launches.get(v),
                    args,
                    work,
                    events,
                    input,
                    dir,
                    variants.indexOf(v) + "-" + round));
          }
        }
      }
    }
    List<String> rows = new ArrayList<>();
    List<String> phases = new ArrayList<>(MARKS.keySet());
    phases.add(FIRST);
    phases.add(CPU);
    for (String phase : phases) {
      StringBuilder row = new StringBuilder("| (s) worker start-up: " + phase + " |");
      for (Variant v : variants) {
        row.append(
            String.format(
                Locale.ROOT,
                " %s: %s (median %.2f) |",
                v.name(),
                Stats.list(results.get(v.name()).getOrDefault(phase, List.of())),
                median(results.get(v.name()).getOrDefault(phase, List.of()))));
      }
      rows.add(row.toString());
    }
    return rows;
  }

  private static double median(List<Double> values) {
    return values.isEmpty() ? Double.NaN : Stats.median(values);
  }

  private static void add(Map<String, List<Double>> into, Map<String, Double> phases) {
    phases.forEach((k, v) -> into.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
  }

  /** Starts one worker, waits for its first item, stops it: seconds from start per mark. */
  private static Map<String, Double> once(
      Path java,
      List<String> launch,
      List<String> args,
      WorkSubmitter work,
      EventQueue events,
      Path input,
      Path dir,
      String run)
      throws Exception {
    String jobId = "startup-" + run;
    work.send(
        List.of(
            new WorkItem(
                jobId,
                jobId + "-0",
                0,
                "all-minilm-l6-v2",
                input.toUri().toString(),
                "one.jsonl",
                new ByteRange(0, Files.size(input)),
                InputFormat.JSONL,
                "text",
                "id",
                dir.resolve("out/" + run).toUri() + "/",
                Attempts.NONE,
                3)));
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.add("-Dai.djl.offline=true");
    command.addAll(launch);
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("OPT_OUT_TRACKING", "true");
    Map<String, Double> seen = new ConcurrentHashMap<>();
    long t0 = System.nanoTime();
    Process p = pb.start();
    Path log = dir.resolve("worker-" + run + ".log");
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                      new BufferedReader(
                          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                  var out = Files.newBufferedWriter(log)) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                  double at = (System.nanoTime() - t0) / 1e9;
                  out.write(String.format(Locale.ROOT, "%8.3f %s%n", at, line));
                  for (var m : MARKS.entrySet()) {
                    if (line.contains(m.getValue())) {
                      seen.putIfAbsent(m.getKey(), at);
                    }
                  }
                  if (line.contains(MARKS.get("lease loop started"))) {
                    p.info()
                        .totalCpuDuration()
                        .ifPresent(c -> seen.putIfAbsent(CPU, c.toNanos() / 1e9));
                  }
                }
              } catch (Exception e) {
                // the process ended
              }
            },
            "startup-log-" + run);
    reader.start();
    try {
      long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
      while (!seen.containsKey(FIRST)) {
        if (System.nanoTime() > deadline || !p.isAlive()) {
          throw new IllegalStateException("worker " + run + " did not finish its item; see " + log);
        }
        List<EventDelivery> batch = events.receive(10, Duration.ofMillis(200));
        for (EventDelivery d : batch) {
          if (d.event() instanceof ItemCompleted c && c.jobId().equals(jobId)) {
            seen.put(FIRST, (System.nanoTime() - t0) / 1e9);
          }
        }
        events.acknowledge(batch);
      }
    } finally {
      p.destroy(); // SIGTERM: the worker's graceful stop
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
      reader.join(5_000);
    }
    Map<String, Double> phases = new LinkedHashMap<>();
    for (String k : MARKS.keySet()) {
      phases.put(k, seen.getOrDefault(k, Double.NaN));
    }
    phases.put(FIRST, seen.get(FIRST));
    phases.put(CPU, seen.getOrDefault(CPU, Double.NaN));
    System.out.printf(Locale.ROOT, "%s: %s; load %s%n", run, phases, PlanAtScaleBenchmark.load());
    return phases;
  }
}
