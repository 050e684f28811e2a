package dev.spotbatch.bench;

import dev.spotbatch.codec.MessageCodec;
import dev.spotbatch.dispatcher.DispatcherApplication;
import dev.spotbatch.model.Attempts;
import dev.spotbatch.model.ByteRange;
import dev.spotbatch.model.InputFormat;
import dev.spotbatch.model.WorkItem;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Benchmark (b): items/s the dispatcher plans and enqueues (REST submit until the job is RUNNING:
 * list the input, cut it into byte ranges, store the plan, send every item) versus a bare loop of
 * SendMessageBatch calls (10 pre-encoded items each) to the same embedded ElasticMQ server.
 */
final class PlanEnqueueBenchmark {
  private static final int ITEM_BYTES = 1024;
  private static final int LANES = dev.spotbatch.queue.sqs.SqsOptions.DEFAULT_SEND_CONCURRENCY;

  private final int items;
  private final int rounds;
  private final HttpClient http = HttpClient.newHttpClient();
  private String token = "";

  PlanEnqueueBenchmark(int items, int rounds) {
    this.items = items;
    this.rounds = rounds;
  }

  String run() throws Exception {
    Path dataDir = Files.createTempDirectory("spotbatch-bench-plan-");
    Path input = dataDir.resolve("in/big.jsonl");
    Files.createDirectories(input.getParent());
    try (OutputStream out = Files.newOutputStream(input)) {
      byte[] line =
          "{\"id\":\"x\",\"text\":\"padding padding padding padding padding\"}\n"
              .getBytes(StandardCharsets.UTF_8);
      long target = (long) items * ITEM_BYTES;
      for (long written = 0; written < target; written += line.length) {
        out.write(line);
      }
    }
    long size = Files.size(input);
    int expectedItems = (int) ((size + ITEM_BYTES - 1) / ITEM_BYTES);
    int sqsPort = freePort();
    List<Double> dispatcher = new ArrayList<>();
    List<Double> bare = new ArrayList<>();
    List<Double> bare4 = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    List<Double> ratios4 = new ArrayList<>();
    try (ConfigurableApplicationContext app =
            new SpringApplicationBuilder(DispatcherApplication.class)
                .profiles("local")
                .run(
                    "--server.port=0",
                    "--spotbatch.data-dir=" + dataDir,
                    "--spotbatch.embedded.sqs.port=" + sqsPort,
                    "--spotbatch.fleet.local.workers=0",
                    "--logging.level.root=WARN");
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
      String bareUrl = sqs.createQueue(b -> b.queueName("bench-bare")).join().queueUrl();
      List<String> encoded = encodedItems(expectedItems, input);

      // warm-up
      submitAndAwaitRunning(api, input, dataDir, "warmup");
      sendBare(sqs, bareUrl, encoded.subList(0, Math.min(2000, encoded.size())), 1);
      sendBare(sqs, bareUrl, encoded.subList(0, Math.min(2000, encoded.size())), LANES);
      purge(sqs, workUrl, bareUrl);
      for (int round = 1; round <= rounds; round++) {
        double d = expectedItems / submitAndAwaitRunning(api, input, dataDir, "r" + round);
        purge(sqs, workUrl, bareUrl);
        double b = expectedItems / sendBare(sqs, bareUrl, encoded, 1);
        purge(sqs, workUrl, bareUrl);
        double b4 = expectedItems / sendBare(sqs, bareUrl, encoded, LANES);
        purge(sqs, workUrl, bareUrl);
        dispatcher.add(d);
        bare.add(b);
        bare4.add(b4);
        ratios.add(d / b);
        ratios4.add(d / b4);
        System.out.printf(
            Locale.ROOT,
            "round %d: dispatcher %.0f items/s, bare SendMessageBatch loop %.0f msg/s (ratio %.3f),"
                + " %d bare loops side by side %.0f msg/s (ratio %.3f)%n",
            round,
            d,
            b,
            d / b,
            LANES,
            b4,
            d / b4);
      }
    }
    return String.format(
            Locale.ROOT,
            "| (b) dispatcher plan+enqueue / one bare SendMessageBatch loop | %d items of %d bytes, embedded ElasticMQ, H2; the dispatcher keeps %d sends in flight | bare msg/s: %s | dispatcher items/s: %s | ratio %s |",
            expectedItems,
            ITEM_BYTES,
            LANES,
            Stats.list(bare),
            Stats.list(dispatcher),
            Stats.describe(ratios))
        + "\n"
        + String.format(
            Locale.ROOT,
            "| (b') dispatcher plan+enqueue / %d bare loops side by side | same | bare msg/s: %s | dispatcher items/s: %s | ratio %s |",
            LANES,
            Stats.list(bare4),
            Stats.list(dispatcher),
            Stats.describe(ratios4));
  }

  /** Seconds from the REST submit until the job is RUNNING (every item on the queue). */
  private double submitAndAwaitRunning(String api, Path input, Path dataDir, String run)
      throws Exception {
    return new JobRunTimer(http, api, token, Duration.ofMillis(5))
        .submitAndAwaitRunning(input, dataDir, run, ITEM_BYTES);
  }

  /**
   * Seconds to send every body with {@code lanes} sequential SendMessageBatch loops side by side.
   */
  static double sendBare(SqsAsyncClient sqs, String url, List<String> bodies, int lanes) {
    long t0 = System.nanoTime();
    java.util.concurrent.atomic.AtomicInteger next =
        new java.util.concurrent.atomic.AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int lane = 0; lane < lanes; lane++) {
      Thread t =
          new Thread(
              () -> {
                for (int k = next.getAndAdd(10); k < bodies.size(); k = next.getAndAdd(10)) {
                  sendBareBatch(sqs, url, bodies, k);
                }
              },
              "bare-send-" + lane);
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  private static void sendBareBatch(SqsAsyncClient sqs, String url, List<String> bodies, int from) {
    List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
    for (int j = from; j < Math.min(bodies.size(), from + 10); j++) {
      entries.add(
          SendMessageBatchRequestEntry.builder().id("m" + j).messageBody(bodies.get(j)).build());
    }
    var response = sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entries)).join();
    if (!response.failed().isEmpty()) {
      throw new IllegalStateException("bare send failed: " + response.failed());
    }
  }

  static void purge(SqsAsyncClient sqs, String... urls) {
    for (String url : urls) {
      sqs.purgeQueue(b -> b.queueUrl(url)).join();
    }
  }

  static List<String> encodedItems(int count, Path input) {
    MessageCodec codec = new MessageCodec();
    List<String> out = new ArrayList<>(count);
    String output = input.getParent().resolve("out/bare/").toUri().toString();
    for (int i = 0; i < count; i++) {
      out.add(
          codec.encode(
              new WorkItem(
                  "bench",
                  "bench-" + String.format(Locale.ROOT, "%06d", i),
                  i,
                  "all-minilm-l6-v2",
                  input.toUri().toString(),
                  input.getFileName().toString(),
                  new ByteRange((long) i * ITEM_BYTES, (long) (i + 1) * ITEM_BYTES),
                  InputFormat.JSONL,
                  "text",
                  "id",
                  output.endsWith("/") ? output : output + "/",
                  Attempts.NONE,
                  3)));
    }
    return out;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
