package dev.spotbatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.dispatcher.DispatcherApplication;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Chaos on real parts: a dispatcher (embedded ElasticMQ, H2, local store) and four worker JVMs,
 * each with its own local IMDSv2 endpoint. While a job of 20,000 records in many small items runs,
 * the test interrupts workers through {@code POST /api/v1/fleet/workers/{id}/interrupt} at least 20
 * times: spot notices with 120 s and with 5 s (so running items are checkpointed), SIGTERM and
 * plain SIGKILL. The job must still succeed with every record exactly once in the manifest's parts,
 * nothing may reach the dead-letter queue, and every worker that was given a deadline must have
 * exited on its own before it.
 */
@Tag("chaos")
class ChaosIT {
  private static final Logger log = LoggerFactory.getLogger(ChaosIT.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int WORKERS = 4;
  private static final int RECORDS = 20_000;
  private static final int INTERRUPTIONS = 22;

  /** The order in which kinds are used (spot 120 s, spot 5 s, SIGTERM with 30 s, SIGKILL). */
  private static final List<String[]> PLAN =
      List.of(
          new String[] {"spot", "120"},
          new String[] {"spot", "5"},
          new String[] {"sigterm", "30"},
          new String[] {"kill", null},
          new String[] {"spot", "5"},
          new String[] {"sigterm", "30"},
          new String[] {"spot", "120"},
          new String[] {"kill", null},
          new String[] {"spot", "5"},
          new String[] {"lifecycle", null},
          new String[] {"rebalance", null});

  @TempDir static Path dataDir;
  static ConfigurableApplicationContext dispatcher;
  static String api;
  static int sqsPort;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void startDispatcherWithFourWorkers() throws IOException {
    String workerJar = System.getProperty("spotbatch.worker.jar");
    assertThat(Path.of(workerJar)).as("worker jar (built by the worker module)").exists();
    sqsPort = freePort();
    dispatcher =
        new SpringApplicationBuilder(DispatcherApplication.class)
            .profiles("local")
            .run(
                "--server.port=0",
                "--spotbatch.data-dir=" + dataDir,
                "--spotbatch.embedded.sqs.port=" + sqsPort,
                "--spotbatch.fleet.local.workers=" + WORKERS,
                "--spotbatch.fleet.local.worker-jar=" + workerJar,
                "--spotbatch.fleet.local.supervise-interval=1s",
                "--spotbatch.fleet.local.stop-grace=20s",
                // cheap workers: four of them share two cores
                "--spotbatch.fleet.local.worker-args[0]=--spotbatch.worker.concurrency=2",
                "--spotbatch.fleet.local.worker-args[1]=--spotbatch.worker.intra-op-threads=1",
                "--spotbatch.fleet.local.worker-args[2]=--spotbatch.worker.lease-time=20s",
                "--spotbatch.fleet.local.worker-args[3]=--spotbatch.worker.heartbeat-interval=5s",
                "--spotbatch.fleet.local.worker-args[4]=--spotbatch.worker.poll-wait=2s",
                "--spotbatch.fleet.local.worker-args[5]=--spotbatch.worker.shutdown-grace=20s");
    String port = dispatcher.getEnvironment().getProperty("local.server.port");
    api = "http://127.0.0.1:" + port + "/api/v1";
  }

  @AfterAll
  static void stop() {
    if (dispatcher != null) {
      dispatcher.close();
    }
  }

  @Test
  void aJobSurvivesManyInterruptionsWithEveryRecordExactlyOnce() throws Exception {
    Path input = dataDir.resolve("input/chaos.jsonl");
    Files.createDirectories(input.getParent());
    Set<String> expectedIds = new HashSet<>();
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < RECORDS; i++) {
      String id = "rec-" + i;
      expectedIds.add(id);
      lines.add("{\"id\":\"" + id + "\",\"text\":\"" + Sentences.sentence(i) + "\"}");
    }
    Files.write(input, lines, StandardCharsets.UTF_8);
    Path out = dataDir.resolve("out/chaos/");

    awaitRunningWorkers(WORKERS, Duration.ofMinutes(2));
    String body =
        """
        {"name":"chaos","model":"all-minilm-l6-v2",
         "input":{"uri":"%s","format":"jsonl","textField":"text","idField":"id"},
         "output":{"uri":"%s"},"itemBytes":12288,"maxAttempts":3}
        """
            .formatted(input.toUri(), out.toUri());
    HttpResponse<String> created = post("/jobs", body);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String jobId = JSON.readTree(created.body()).get("id").asString();

    // interrupt workers, one at a time, while the job runs; keep at least two working
    Map<String, Integer> byKind = new LinkedHashMap<>();
    int done = 0;
    Instant giveUp = Instant.now().plus(Duration.ofMinutes(5));
    Instant last = Instant.EPOCH;
    while (done < INTERRUPTIONS && Instant.now().isBefore(giveUp)) {
      JsonNode job = getJson("/jobs/" + jobId);
      if (isFinal(job.get("status").asString())) {
        break;
      }
      if (Duration.between(last, Instant.now()).compareTo(Duration.ofSeconds(2)) < 0) {
        Thread.sleep(250);
        continue;
      }
      JsonNode fleet = getJson("/fleet");
      List<String> running = new ArrayList<>();
      List<String> starting = new ArrayList<>();
      for (JsonNode w : fleet.get("workers")) {
        String state = w.get("state").asString();
        if (state.equals("RUNNING") && w.get("interruption").isNull()) {
          running.add(w.get("id").asString());
        } else if (state.equals("STARTING")) {
          starting.add(w.get("id").asString());
        }
      }
      String[] what = PLAN.get(done % PLAN.size());
      // SIGKILL and SIGTERM may also hit a machine that is still booting; IMDS notices go to
      // running workers (a booting JVM could not meet a 5 s deadline)
      List<String> victims = new ArrayList<>(running);
      if (what[0].equals("kill") || what[0].equals("sigterm")) {
        victims.addAll(starting);
      }
      if (running.size() < 2 || victims.isEmpty()) {
        Thread.sleep(500);
        continue;
      }
      String victim = victims.get(done % victims.size());
      String query = "?kind=" + what[0] + (what[1] == null ? "" : "&deadlineSeconds=" + what[1]);
      HttpResponse<String> r = post("/fleet/workers/" + victim + "/interrupt" + query, "");
      if (r.statusCode() == 409) { // lost between the two calls: pick again
        continue;
      }
      assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
      log.info("chaos: interrupted {} with {} ({} so far): {}", victim, query, done + 1, r.body());
      byKind.merge(what[0] + (what[1] == null ? "" : what[1]), 1, Integer::sum);
      done++;
      last = Instant.now();
    }
    log.info("chaos: {} interruptions: {}", done, byKind);

    JsonNode job = awaitFinal(jobId, Duration.ofMinutes(6));
    assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
    assertThat(job.at("/items/succeeded").asInt()).isEqualTo(job.at("/items/total").asInt());
    assertThat(job.at("/records/succeeded").asLong()).isEqualTo(RECORDS);

    // every input record exactly once across the parts the manifest lists
    Path manifestPath = Path.of(URI.create(job.at("/output/manifest").asString()));
    JsonNode manifest = JSON.readTree(Files.readString(manifestPath));
    Map<String, Integer> seen = new HashMap<>();
    long listed = 0;
    for (JsonNode part : manifest.get("parts")) {
      List<String> partLines = Files.readAllLines(out.resolve(part.get("path").asString()));
      assertThat(partLines).hasSize(part.get("records").asInt());
      listed += partLines.size();
      for (String line : partLines) {
        seen.merge(JSON.readTree(line).get("id").asString(), 1, Integer::sum);
      }
    }
    assertThat(listed).isEqualTo(RECORDS);
    assertThat(seen.keySet()).isEqualTo(expectedIds);
    assertThat(seen.values()).allMatch(n -> n == 1);

    // nothing was dead-lettered: interruptions do not count against the broker's receive count
    assertThat(dlqMessages()).isZero();

    // every worker that got a deadline exited on its own before it (none had to be killed)
    JsonNode fleet = awaitNoPendingDeadline(Duration.ofSeconds(150));
    List<String> late = new ArrayList<>();
    int drained = 0;
    for (JsonNode w : fleet.get("workers")) {
      for (JsonNode past : w.get("history")) {
        JsonNode i = past.get("interruption");
        if (i == null || i.isNull() || i.get("deadline").isNull()) {
          continue;
        }
        drained++;
        if (!past.get("exitedBeforeDeadline").asBoolean(false)) {
          late.add(past.toString());
        }
      }
    }
    log.info("chaos: fleet at the end: {}", fleet);
    assertThat(drained).as("drained workers in the fleet's history").isGreaterThanOrEqualTo(5);
    assertThat(late).as("workers that did not exit before their deadline").isEmpty();
    assertThat(fleet.at("/interruptions/kill").asInt()).isGreaterThanOrEqualTo(1);
    assertThat(done)
        .as("interruptions before the job ended (" + byKind + ")")
        .isGreaterThanOrEqualTo(20);
    assertThat(byKind.keySet()).contains("spot120", "spot5", "sigterm30", "kill");
  }

  /** Waits until no worker has an interruption with a deadline still to come, or is lost. */
  private static JsonNode awaitNoPendingDeadline(Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    JsonNode fleet;
    do {
      fleet = getJson("/fleet");
      boolean pending = false;
      for (JsonNode w : fleet.get("workers")) {
        JsonNode i = w.get("interruption");
        pending |=
            w.get("state").asString().equals("LOST")
                || (i != null && !i.isNull() && !i.get("deadline").isNull());
      }
      if (!pending) {
        return fleet;
      }
      Thread.sleep(1000);
    } while (Instant.now().isBefore(deadline));
    return fleet;
  }

  private static void awaitRunningWorkers(int n, Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      JsonNode fleet = getJson("/fleet");
      int running = 0;
      for (JsonNode w : fleet.get("workers")) {
        running += w.get("state").asString().equals("RUNNING") ? 1 : 0;
      }
      if (running >= n) {
        return;
      }
      Thread.sleep(1000);
    }
    throw new AssertionError(
        "fewer than " + n + " workers running after " + timeout + ": " + getJson("/fleet"));
  }

  private static long dlqMessages() {
    try (SqsAsyncClient sqs =
        SqsAsyncClient.builder()
            .endpointOverride(URI.create("http://127.0.0.1:" + sqsPort))
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
            .build()) {
      String url = sqs.getQueueUrl(b -> b.queueName("spotbatch-work-dlq")).join().queueUrl();
      Map<QueueAttributeName, String> attributes =
          sqs.getQueueAttributes(
                  b ->
                      b.queueUrl(url)
                          .attributeNames(
                              QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                              QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
              .join()
              .attributes();
      return Long.parseLong(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
          + Long.parseLong(
              attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }
  }

  private static boolean isFinal(String status) {
    return status.equals("SUCCEEDED") || status.equals("FAILED") || status.equals("CANCELLED");
  }

  private static JsonNode awaitFinal(String jobId, Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    JsonNode job = null;
    while (Instant.now().isBefore(deadline)) {
      job = getJson("/jobs/" + jobId);
      if (isFinal(job.get("status").asString())) {
        return job;
      }
      Thread.sleep(500);
    }
    throw new AssertionError(
        "job "
            + jobId
            + " did not finish within "
            + timeout
            + ": "
            + job
            + "; fleet: "
            + getJson("/fleet"));
  }

  private static JsonNode getJson(String path) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(api + path)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static HttpResponse<String> post(String path, String json) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(api + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
