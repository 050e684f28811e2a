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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole path on real parts: a dispatcher (embedded ElasticMQ, H2, local store) and two worker
 * processes (separate JVMs, the real model) process a job of thousands of records in many items.
 * Every input record must appear exactly once across the parts the manifest lists.
 */
class EndToEndIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int RECORDS = 2_400;
  private static final int BAD_LINES = 6;

  @TempDir static Path dataDir;
  static ConfigurableApplicationContext dispatcher;
  static String api;
  static String token;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void startDispatcherWithTwoWorkers() throws IOException {
    String workerJar = System.getProperty("spotbatch.worker.jar");
    assertThat(Path.of(workerJar)).as("worker jar (built by the worker module)").exists();
    String classData = System.getProperty("spotbatch.worker.class-data-dir", "");
    dispatcher =
        new SpringApplicationBuilder(DispatcherApplication.class)
            .profiles("local")
            .run(
                "--server.port=0",
                "--spotbatch.data-dir=" + dataDir,
                "--spotbatch.embedded.sqs.port=" + freePort(),
                "--spotbatch.fleet.local.workers=2",
                "--spotbatch.fleet.local.worker-jar=" + workerJar,
                "--spotbatch.fleet.local.class-data-dir="
                    + (classData.isBlank() ? dataDir.resolve("cds") : classData));
    String port = dispatcher.getEnvironment().getProperty("local.server.port");
    api = "http://127.0.0.1:" + port + "/api/v1";
    // the embedded default wrote its token there, owner-only; a user's client reads it the same way
    token = Files.readString(dataDir.resolve("api-token")).strip();
  }

  @AfterAll
  static void stop() {
    if (dispatcher != null) {
      dispatcher.close();
    }
  }

  @Test
  void everyRecordAppearsExactlyOnceAcrossTheManifestsParts() throws Exception {
    Path input = dataDir.resolve("input/docs.jsonl");
    Files.createDirectories(input.getParent());
    Set<String> expectedIds = new HashSet<>();
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < RECORDS; i++) {
      String id = "rec-" + i;
      expectedIds.add(id);
      lines.add("{\"id\":\"" + id + "\",\"text\":\"" + Sentences.sentence(i) + "\"}");
      if (i % 500 == 250) {
        lines.add(
            i % 1000 == 250 ? "{not json" : "{\"id\":\"bad-" + i + "\",\"body\":\"no text\"}");
      }
    }
    lines.add("{\"id\":\"bad-last\",\"text\":\"   \"}");
    Files.write(input, lines, StandardCharsets.UTF_8);
    Path out = dataDir.resolve("out/job1/");

    String body =
        """
        {"name":"e2e","model":"all-minilm-l6-v2",
         "input":{"uri":"%s","format":"jsonl","textField":"text","idField":"id"},
         "output":{"uri":"%s"},"itemBytes":16384,"maxAttempts":3}
        """
            .formatted(input.toUri(), out.toUri());
    HttpResponse<String> created = post("/jobs", body);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(created.headers().firstValue("Location")).isPresent();
    String jobId = JSON.readTree(created.body()).get("id").asString();

    JsonNode job = awaitFinal(jobId, Duration.ofMinutes(6));
    assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
    assertThat(job.at("/items/total").asInt()).isGreaterThanOrEqualTo(10);
    assertThat(job.at("/items/succeeded").asInt()).isEqualTo(job.at("/items/total").asInt());
    assertThat(job.at("/records/succeeded").asLong()).isEqualTo(RECORDS);
    assertThat(job.at("/records/failed").asLong()).isEqualTo(BAD_LINES);

    Path manifestPath = Path.of(URI.create(job.at("/output/manifest").asString()));
    JsonNode manifest = JSON.readTree(Files.readString(manifestPath));
    assertThat(manifest.get("jobId").asString()).isEqualTo(jobId);

    Map<String, Integer> seen = new HashMap<>();
    Set<String> listed = new HashSet<>();
    long listedRecords = 0;
    for (JsonNode part : manifest.get("parts")) {
      String path = part.get("path").asString();
      listed.add(path);
      List<String> partLines = Files.readAllLines(out.resolve(path));
      assertThat(partLines).hasSize(part.get("records").asInt());
      listedRecords += partLines.size();
      for (String line : partLines) {
        JsonNode rec = JSON.readTree(line);
        seen.merge(rec.get("id").asString(), 1, Integer::sum);
        JsonNode embedding = rec.get("embedding");
        assertThat(embedding.size()).isEqualTo(384);
        double norm = 0;
        for (JsonNode v : embedding) {
          norm += v.asDouble() * v.asDouble();
        }
        assertThat(Math.sqrt(norm)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
      }
    }
    assertThat(listedRecords).isEqualTo(RECORDS);
    assertThat(seen.keySet()).isEqualTo(expectedIds);
    assertThat(seen.values()).allMatch(n -> n == 1);

    // the manifest lists exactly the committed result parts: nothing more, nothing less
    Set<String> onDisk = new HashSet<>();
    try (Stream<Path> files = Files.list(out)) {
      files
          .filter(Files::isRegularFile)
          .map(p -> p.getFileName().toString())
          .filter(name -> !name.startsWith("_") && !name.startsWith("."))
          .forEach(onDisk::add);
    }
    assertThat(listed).isEqualTo(onDisk);

    long errorRecords = 0;
    Set<String> badIds = new HashSet<>();
    for (JsonNode part : manifest.get("errors")) {
      for (String line : Files.readAllLines(out.resolve(part.get("path").asString()))) {
        JsonNode err = JSON.readTree(line);
        assertThat(err.get("error").asString()).isNotBlank();
        badIds.add(err.get("id").asString());
        errorRecords++;
      }
    }
    assertThat(errorRecords).isEqualTo(BAD_LINES);
    assertThat(badIds).contains("bad-750", "bad-last");

    assertCostFollowsFromWorkerTime(job, manifest);
  }

  /**
   * The job's cost is real and consistent: the local workers are priced as the instance type they
   * simulate (g5.xlarge in the default book), so the dollars are the job's machine hours at a price
   * between that type's spot and on-demand prices, the machine hours fit within the two workers'
   * time from the job's start to its end, and the manifest carries the same figures.
   */
  private static void assertCostFollowsFromWorkerTime(JsonNode job, JsonNode manifest)
      throws Exception {
    JsonNode cost = job.get("cost");
    double usd = cost.get("usd").asDouble();
    double onDemand = cost.get("onDemandUsd").asDouble();
    double hours = cost.get("machineHours").asDouble();
    assertThat(cost.get("pricing").asString()).as(cost.toString()).isEqualTo("simulated");
    assertThat(hours).as(cost.toString()).isPositive();
    double elapsedHours =
        Duration.between(
                    Instant.parse(job.get("startedAt").asString()),
                    Instant.parse(job.get("finishedAt").asString()))
                .toMillis()
            / 3_600_000.0;
    assertThat(hours)
        .as("machine hours within 2 workers x the job's time")
        .isLessThanOrEqualTo(2 * elapsedHours + 1e-6);
    JsonNode prices = JSON.readTree(get("/cost/prices").body());
    double spot = price(prices, "g5.xlarge", "SPOT");
    double od = price(prices, "g5.xlarge", "ON_DEMAND");
    assertThat(usd / hours).as(cost.toString()).isBetween(spot - 1e-3, od + 1e-3);
    assertThat(onDemand / hours)
        .as(cost.toString())
        .isCloseTo(od, org.assertj.core.data.Offset.offset(1e-3));
    assertThat(usd).isPositive().isLessThanOrEqualTo(onDemand);
    // the view rounds usd and onDemandUsd to the micro-dollar and savingsPct to 0.01 from the
    // unrounded sums: on a job of a few tenths of a cent the ratio of the rounded figures is off by
    // up to 100 * 1e-6 / onDemand points (0.014 seen in CI), so allow that on top of 0.005
    assertThat(cost.get("savingsPct").asDouble())
        .isCloseTo(
            100 * (1 - usd / onDemand),
            org.assertj.core.data.Offset.offset(0.005 + 100 * 1e-6 / onDemand + 1e-9));
    assertThat(cost.get("wastedUsd").asDouble()).isZero(); // nothing was interrupted
    assertThat(manifest.at("/cost/usd").asDouble())
        .isCloseTo(usd, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(manifest.at("/cost/machineHours").asDouble())
        .isCloseTo(hours, org.assertj.core.data.Offset.offset(1e-6));

    // the fleet billed at least the job's share, the rest is idle (boot, waiting)
    JsonNode fleet = JSON.readTree(get("/cost").body());
    assertThat(fleet.at("/total/machineHours").asDouble()).isGreaterThanOrEqualTo(hours - 1e-6);
    assertThat(fleet.at("/total/idleHours").asDouble()).isPositive();
    assertThat(fleet.at("/total/usd").asDouble()).isGreaterThanOrEqualTo(usd - 1e-6);
  }

  private static double price(JsonNode prices, String type, String lifecycle) {
    for (JsonNode p : prices) {
      if (p.get("provider").asString().equals("aws")
          && p.get("region").asString().equals("us-east-1")
          && p.get("instanceType").asString().equals(type)
          && p.get("lifecycle").asString().equals(lifecycle)) {
        return p.get("usdPerHour").asDouble();
      }
    }
    throw new AssertionError("no " + type + " " + lifecycle + " price in " + prices);
  }

  @Test
  void inlineRecordsAreStagedAndProcessed() throws Exception {
    Path out = dataDir.resolve("out/inline/");
    String body =
        """
        {"name":"inline","model":"all-minilm-l6-v2",
         "records":[{"id":"a","text":"A man is eating food."},{"id":"b","text":"The girl is carrying a baby."}],
         "output":{"uri":"%s"}}
        """
            .formatted(out.toUri());
    HttpResponse<String> created = post("/jobs", body);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String jobId = JSON.readTree(created.body()).get("id").asString();
    JsonNode job = awaitFinal(jobId, Duration.ofMinutes(6));
    assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
    assertThat(job.at("/records/succeeded").asLong()).isEqualTo(2);
    assertThat(Files.exists(out.resolve("_SUCCESS"))).isTrue();
  }

  private static JsonNode awaitFinal(String jobId, Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    JsonNode job = null;
    while (Instant.now().isBefore(deadline)) {
      HttpResponse<String> r = get("/jobs/" + jobId);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      job = JSON.readTree(r.body());
      String status = job.get("status").asString();
      if (status.equals("SUCCEEDED") || status.equals("FAILED") || status.equals("CANCELLED")) {
        return job;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("job " + jobId + " did not finish within " + timeout + ": " + job);
  }

  private static HttpResponse<String> post(String path, String json) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(api + path))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(api + path))
            .header("Authorization", "Bearer " + token)
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
