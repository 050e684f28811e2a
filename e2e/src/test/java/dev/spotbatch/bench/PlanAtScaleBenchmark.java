package dev.spotbatch.bench;

import dev.spotbatch.dispatcher.DispatcherApplication;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Benchmark (p), issue 13 point 6: seconds from {@code POST /api/v1/jobs} until the job is RUNNING
 * for (1) a sparse 10 GiB file at 1 MiB items (10,240 items: the dispatcher needs its size only)
 * and (2) a directory of many small objects (one item each), side by side with the bare floor: the
 * same number of pre-encoded items sent by as many SendMessageBatch loops as the dispatcher keeps
 * in flight, to the same embedded ElasticMQ. Also samples the heap while the dispatcher plans.
 */
final class PlanAtScaleBenchmark {
  private static final long GIB = 1024L * 1024 * 1024;
  private static final long MIB = 1024L * 1024;
  private static final int WARM_OBJECTS = 5_000;
  private static final int LANES = dev.spotbatch.queue.sqs.SqsOptions.DEFAULT_SEND_CONCURRENCY;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final int smallObjects;
  private final int rounds;
  private final HttpClient http = HttpClient.newHttpClient();
  private String token = "";

  PlanAtScaleBenchmark(int smallObjects, int rounds) {
    this.smallObjects = smallObjects;
    this.rounds = rounds;
  }

  List<String> run() throws Exception {
    Path dataDir = Files.createTempDirectory("spotbatch-bench-scale-");
    Path big = dataDir.resolve("in/big.jsonl");
    Files.createDirectories(big.getParent());
    try (RandomAccessFile sparse = new RandomAccessFile(big.toFile(), "rw")) {
      sparse.setLength(10 * GIB); // sparse: planning needs the size, not 10 GiB of disk
    }
    Path many = Files.createDirectories(dataDir.resolve("in/many"));
    long t0 = System.nanoTime();
    byte[] line =
        "{\"id\":\"x\",\"text\":\"a small object of one record\"}\n"
            .getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < smallObjects; i++) {
      // 100 per directory, like a partitioned export
      Path d = many.resolve(String.format(Locale.ROOT, "part-%05d", i / 100));
      if (i % 100 == 0) {
        Files.createDirectories(d);
      }
      Files.write(d.resolve(String.format(Locale.ROOT, "%07d.jsonl", i)), line);
    }
    Path warm = Files.createDirectories(dataDir.resolve("in/warm"));
    for (int i = 0; i < WARM_OBJECTS; i++) {
      Path d = warm.resolve(String.format(Locale.ROOT, "part-%05d", i / 100));
      if (i % 100 == 0) {
        Files.createDirectories(d);
      }
      Files.write(d.resolve(String.format(Locale.ROOT, "%07d.jsonl", i)), line);
    }
    System.out.printf(
        Locale.ROOT,
        "created %d small objects in %.1f s%n",
        smallObjects,
        (System.nanoTime() - t0) / 1e9);
    int bigItems = (int) (10 * GIB / MIB);
    List<String> bigEncoded = PlanEnqueueBenchmark.encodedItems(bigItems, big);
    List<String> manyEncoded = PlanEnqueueBenchmark.encodedItems(smallObjects, big);

    int sqsPort = PlanEnqueueBenchmark.freePort();
    List<Double> bigSeconds = new ArrayList<>();
    List<Double> bigBare = new ArrayList<>();
    List<Double> manySeconds = new ArrayList<>();
    List<Double> manyBare = new ArrayList<>();
    List<Double> bigHeap = new ArrayList<>();
    List<Double> manyHeap = new ArrayList<>();
    List<Double> bigCpu = new ArrayList<>();
    List<Double> bigBareCpu = new ArrayList<>();
    List<Double> manyCpu = new ArrayList<>();
    List<Double> manyBareCpu = new ArrayList<>();
    try (ConfigurableApplicationContext app =
            new SpringApplicationBuilder(DispatcherApplication.class)
                .profiles("local")
                .run(
                    "--server.port=0",
                    "--spotbatch.data-dir=" + dataDir,
                    "--spotbatch.embedded.sqs.port=" + sqsPort,
                    "--spotbatch.fleet.local.workers=0",
                    "--logging.level.root=WARN",
                    // the planner's per-phase line: listed and stored, waiting for the queue, tail
                    "--logging.level.dev.spotbatch.dispatcher.job.JobPlanner=INFO");
        SqsAsyncClient sqs =
            SqsAsyncClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + sqsPort))
                .region(Region.US_EAST_1)
                .credentialsProvider(
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
                .build()) {
      String api =
          "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port") + "/api/v1";
      // the embedded default writes its generated API key here (security is on by default)
      token = Files.readString(dataDir.resolve("api-token")).trim();
      String workUrl = sqs.getQueueUrl(b -> b.queueName("spotbatch-work")).join().queueUrl();
      String bareUrl = sqs.createQueue(b -> b.queueName("bench-bare-scale")).join().queueUrl();

      // warm-up of both paths (a single object; a prefix of many), so round 1 is not the JIT's
      submitAndAwaitRunning(api, big, dataDir, "warmup", MIB);
      submitAndAwaitRunning(api, warm, dataDir, "warmup-many", MIB);
      cancelRunning(api);
      PlanEnqueueBenchmark.purge(sqs, workUrl, bareUrl);
      for (int round = 1; round <= rounds; round++) {
        String r = Integer.toString(round);
        CpuMeter cpu = CpuMeter.start();
        double[] b = timed(() -> submitAndAwaitRunning(api, big, dataDir, "big" + r, MIB));
        CpuMeter.Phase bCpu = cpu.stop();
        cancelRunning(api);
        PlanEnqueueBenchmark.purge(sqs, workUrl);
        cpu = CpuMeter.start();
        double bb = PlanEnqueueBenchmark.sendBare(sqs, bareUrl, bigEncoded, LANES);
        CpuMeter.Phase bbCpu = cpu.stop();
        PlanEnqueueBenchmark.purge(sqs, bareUrl);
        cpu = CpuMeter.start();
        double[] m = timed(() -> submitAndAwaitRunning(api, many, dataDir, "many" + r, MIB));
        CpuMeter.Phase mCpu = cpu.stop();
        cancelRunning(api);
        PlanEnqueueBenchmark.purge(sqs, workUrl);
        cpu = CpuMeter.start();
        double mb = PlanEnqueueBenchmark.sendBare(sqs, bareUrl, manyEncoded, LANES);
        CpuMeter.Phase mbCpu = cpu.stop();
        PlanEnqueueBenchmark.purge(sqs, bareUrl);
        bigCpu.add(bCpu.perThousand(bigItems));
        bigBareCpu.add(bbCpu.perThousand(bigItems));
        manyCpu.add(mCpu.perThousand(smallObjects));
        manyBareCpu.add(mbCpu.perThousand(smallObjects));
        System.out.printf(
            Locale.ROOT,
            "round %d CPU, ms per 1,000 items (process; busiest threads): 10 GiB %.0f (%s), bare"
                + " %.0f (%s); small objects %.0f (%s), bare %.0f (%s)%n",
            round,
            bCpu.perThousand(bigItems),
            bCpu.top(bigItems, 5),
            bbCpu.perThousand(bigItems),
            bbCpu.top(bigItems, 3),
            mCpu.perThousand(smallObjects),
            mCpu.top(smallObjects, 5),
            mbCpu.perThousand(smallObjects),
            mbCpu.top(smallObjects, 3));
        bigSeconds.add(b[0]);
        bigHeap.add(b[1]);
        bigBare.add(bb);
        manySeconds.add(m[0]);
        manyHeap.add(m[1]);
        manyBare.add(mb);
        System.out.printf(
            Locale.ROOT,
            "round %d: 10 GiB sparse (%d items) %.2f s (bare sends %.2f s, heap peak %.0f MiB);"
                + " %d small objects %.2f s (bare sends %.2f s, heap peak %.0f MiB); load %s%n",
            round,
            bigItems,
            b[0],
            bb,
            b[1],
            smallObjects,
            m[0],
            mb,
            m[1],
            load());
      }
    }
    return List.of(
        String.format(
            Locale.ROOT,
            "| (p1) plan+enqueue a 10 GiB input at 1 MiB items (goal <= 10 s) | sparse file, %d"
                + " items, embedded ElasticMQ, H2, %d sends in flight | bare sends, s: %s (CPU ms"
                + " per 1,000 items: %s) | dispatcher, s: %s (heap peak MiB: %s; CPU ms per 1,000"
                + " items: %s) | ratio %s |",
            bigItems,
            LANES,
            Stats.list(bigBare),
            Stats.list(bigBareCpu),
            Stats.list(bigSeconds),
            Stats.list(bigHeap),
            Stats.list(bigCpu),
            Stats.describe(ratios(bigSeconds, bigBare))),
        String.format(
            Locale.ROOT,
            "| (p2) plan+enqueue %d small objects under a prefix (goal <= 30 s) | local directory"
                + " (100 objects per subdirectory), one item each, same queue | bare sends, s: %s"
                + " (CPU ms per 1,000 items: %s) | dispatcher, s: %s (heap peak MiB: %s; CPU ms"
                + " per 1,000 items: %s) | ratio %s |",
            smallObjects,
            Stats.list(manyBare),
            Stats.list(manyBareCpu),
            Stats.list(manySeconds),
            Stats.list(manyHeap),
            Stats.list(manyCpu),
            Stats.describe(ratios(manySeconds, manyBare))));
  }

  private interface Timed {
    double run() throws Exception;
  }

  /** Runs {@code work}, sampling the heap every 20 ms: {seconds, peak heap used in MiB}. */
  private static double[] timed(Timed work) throws Exception {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc(); // so the peak starts from live data, not an earlier round's garbage
    AtomicLong peak = new AtomicLong();
    Thread sampler =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                  Thread.sleep(20);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "bench-heap-sampler");
    sampler.setDaemon(true);
    sampler.start();
    try {
      double seconds = work.run();
      return new double[] {seconds, peak.get() / (double) MIB};
    } finally {
      sampler.interrupt();
      sampler.join();
    }
  }

  private static List<Double> ratios(List<Double> spotbatch, List<Double> bare) {
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < spotbatch.size(); i++) {
      out.add(spotbatch.get(i) / bare.get(i));
    }
    return out;
  }

  static String load() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (Exception e) {
      return "unknown";
    }
  }

  /**
   * Cancels the RUNNING jobs: with no worker their items stay unfinished, and once the queue is
   * purged the dispatcher's reconciler would send them again (it did, into the next rounds).
   */
  private void cancelRunning(String api) throws Exception {
    JsonNode jobs =
        JSON.readTree(
            http.send(
                    HttpRequest.newBuilder(URI.create(api + "/jobs?status=RUNNING&limit=100"))
                        .header("Authorization", "Bearer " + token)
                        .GET()
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body());
    for (JsonNode job : jobs.isArray() ? jobs : jobs.path("jobs")) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(api + "/jobs/" + job.get("id").asString() + "/cancel"))
                  .header("Authorization", "Bearer " + token)
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("cancel failed: " + r.body());
      }
    }
  }

  /** Seconds from the REST submit until the job is RUNNING (every item on the queue). */
  private double submitAndAwaitRunning(
      String api, Path input, Path dataDir, String run, long itemBytes) throws Exception {
    // a client's pace, not a busy loop: the profile of this benchmark polling every 20 ms showed
    // the job views (each counts the job's items while the plan is being stored) taking more CPU
    // than the planner itself, on a 2-core machine; 200 ms adds at most 0.2 s to a figure
    return new JobRunTimer(http, api, token, Duration.ofMillis(200))
        .submitAndAwaitRunning(input, dataDir, run, itemBytes);
  }
}
