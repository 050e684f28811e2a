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
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The embedded default under the autoscaler ({@code --min-workers 0 --max-workers 3}, short tick
 * and cool-down): a job makes workers appear; one gets a spot notice and one is killed, and both
 * are replaced; the job succeeds with every record exactly once; the fleet returns to 0; and no
 * worker that scale-in stopped held a lease (its own drain report after the SIGTERM says it had
 * nothing to hand back, finish, checkpoint or abandon).
 */
class AutoscaleIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int RECORDS = 600;

  @TempDir static Path dataDir;
  static ConfigurableApplicationContext dispatcher;
  static String api;
  static String token;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void startDispatcherUnderTheAutoscaler() throws IOException {
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
                "--spotbatch.autoscaler.min-workers=0",
                "--spotbatch.autoscaler.max-workers=3",
                "--spotbatch.autoscaler.tick=1s",
                "--spotbatch.autoscaler.idle-after=2s",
                "--spotbatch.autoscaler.scale-in-cooldown=3s",
                "--spotbatch.autoscaler.scale-in-stabilization=3s",
                "--spotbatch.autoscaler.undated-drain-target=20s",
                "--spotbatch.autoscaler.assumed-records-per-second-per-worker=40",
                "--spotbatch.fleet.local.supervise-interval=1s",
                // slow enough that the job outlives the workers' boot and the interruptions
                "--spotbatch.fleet.local.worker-args=--spotbatch.worker.max-records-per-second=40",
                "--spotbatch.fleet.local.stop-grace=10s",
                "--spotbatch.fleet.local.worker-jar=" + workerJar,
                "--spotbatch.fleet.local.class-data-dir="
                    + (classData.isBlank() ? dataDir.resolve("cds") : classData));
    String port = dispatcher.getEnvironment().getProperty("local.server.port");
    api = "http://127.0.0.1:" + port + "/api/v1";
    token = Files.readString(dataDir.resolve("api-token")).strip();
  }

  @AfterAll
  static void stop() {
    if (dispatcher != null) {
      dispatcher.close();
    }
  }

  @Test
  void workersComeForAJobAreReplacedWhenLostAndGoWhenIdle() throws Exception {
    JsonNode fleet = getJson("/fleet");
    assertThat(fleet.get("desired").asInt()).as("min-workers 0: no work, no workers").isZero();
    assertThat(fleet.get("pools").size()).isEqualTo(2);

    Path input = dataDir.resolve("input/docs.jsonl");
    Files.createDirectories(input.getParent());
    Set<String> expectedIds = new HashSet<>();
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < RECORDS; i++) {
      expectedIds.add("rec-" + i);
      lines.add("{\"id\":\"rec-" + i + "\",\"text\":\"" + Sentences.sentence(i) + "\"}");
    }
    Files.write(input, lines, StandardCharsets.UTF_8);
    Path out = dataDir.resolve("out/auto/");
    HttpResponse<String> created =
        post(
            "/jobs",
            """
            {"name":"autoscale","model":"all-minilm-l6-v2",
             "input":{"uri":"%s","format":"jsonl","textField":"text","idField":"id"},
             "output":{"uri":"%s"},"itemBytes":4096}
            """
                .formatted(input.toUri(), out.toUri()));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String jobId = JSON.readTree(created.body()).get("id").asString();

    // a worker appears and takes leases (the first start may prepare the workers' class-data
    // archive once per worker jar); it gets a spot notice and is replaced while it drains
    String noticed =
        busyWorkers(
                await(
                    "a busy worker",
                    Duration.ofSeconds(120),
                    "/fleet",
                    f -> !busyWorkers(f, null).isEmpty()),
                null)
            .get(0);
    assertThat(
            post("/fleet/workers/" + noticed + "/interrupt?kind=spot&deadlineSeconds=20", "")
                .statusCode())
        .isEqualTo(202);
    // another one is killed outright; the autoscaler replaces it on its next tick
    String killed =
        busyWorkers(
                await(
                    "another busy worker",
                    Duration.ofSeconds(60),
                    "/fleet",
                    f -> !busyWorkers(f, noticed).isEmpty()),
                noticed)
            .get(0);
    assertThat(post("/fleet/workers/" + killed + "/interrupt?kind=kill", "").statusCode())
        .isEqualTo(202);

    JsonNode job = awaitFinal(jobId, Duration.ofSeconds(90));
    assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
    assertThat(job.at("/records/succeeded").asLong()).isEqualTo(RECORDS);
    Map<String, Integer> seen = new HashMap<>();
    JsonNode manifest =
        JSON.readTree(Files.readString(Path.of(URI.create(job.at("/output/manifest").asString()))));
    for (JsonNode part : manifest.get("parts")) {
      for (String line : Files.readAllLines(out.resolve(part.get("path").asString()))) {
        seen.merge(JSON.readTree(line).get("id").asString(), 1, Integer::sum);
      }
    }
    assertThat(seen.keySet()).isEqualTo(expectedIds);
    assertThat(seen.values()).allMatch(n -> n == 1);

    // with the backlog gone, the fleet returns to the minimum
    JsonNode empty =
        await(
            "the fleet back at 0",
            Duration.ofSeconds(60),
            "/fleet",
            f -> f.get("desired").asInt() == 0 && f.get("actual").asInt() == 0);
    for (JsonNode pool : empty.get("pools")) {
      assertThat(pool.get("desired").asInt()).as(pool.toString()).isZero();
    }

    JsonNode decisions = getJson("/fleet/decisions?limit=200");
    List<String> causes = new ArrayList<>();
    decisions.forEach(d -> causes.add(d.get("cause").asString()));
    assertThat(causes).as(decisions.toString()).contains("SCALE_UP", "SCALE_IN");
    assertThat(causes).as("the noticed worker's replacement").contains("REPLACEMENT");

    // every worker scale-in stopped was idle: its drain after the SIGTERM had nothing to do
    Set<String> scaledIn = new HashSet<>();
    Pattern removed = Pattern.compile("removing idle ([\\w\\-, ]+)");
    for (JsonNode d : decisions) {
      Matcher m = removed.matcher(d.get("reason").asString());
      if (m.find()) {
        for (String id : m.group(1).split(",\\s*")) {
          scaledIn.add(id.strip());
        }
      }
    }
    assertThat(scaledIn).isNotEmpty().doesNotContain(noticed, killed);
    // a scaled-in worker drains on its SIGTERM and reports it
    JsonNode last =
        await(
            "the drain reports of " + scaledIn,
            Duration.ofSeconds(30),
            "/fleet",
            f ->
                scaledIn.stream()
                    .allMatch(
                        id ->
                            workers(f, x -> x.get("id").asString().equals(id)).stream()
                                .anyMatch(
                                    x -> "STOPPED".equals(x.path("lastDrainPhase").asString()))));
    for (String id : scaledIn) {
      JsonNode w = workers(last, x -> x.get("id").asString().equals(id)).get(0);
      JsonNode drain = w.get("lastDrain");
      assertThat(drain.isNull()).as("drain report of " + id + ": " + w).isFalse();
      assertThat(drain.get("handedBack").asInt()).as(w.toString()).isZero();
      assertThat(drain.get("finished").asInt()).as(w.toString()).isZero();
      assertThat(drain.get("checkpointed").asInt()).as(w.toString()).isZero();
      assertThat(drain.get("abandoned").asInt()).as(w.toString()).isZero();
    }
  }

  /** Running workers that hold leases and have no interruption, but {@code except}. */
  private static List<String> busyWorkers(JsonNode fleet, String except) {
    return workers(
            fleet,
            w ->
                "RUNNING".equals(w.get("state").asString())
                    && w.path("activeLeases").asInt(0) > 0
                    && w.get("interruption").isNull()
                    && !w.get("id").asString().equals(except))
        .stream()
        .map(w -> w.get("id").asString())
        .toList();
  }

  private static List<JsonNode> workers(JsonNode fleet, Predicate<JsonNode> filter) {
    List<JsonNode> out = new ArrayList<>();
    fleet
        .get("workers")
        .forEach(
            w -> {
              if (filter.test(w)) {
                out.add(w);
              }
            });
    return out;
  }

  private static JsonNode await(
      String what, Duration timeout, String path, Predicate<JsonNode> done) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    JsonNode last = null;
    while (Instant.now().isBefore(deadline)) {
      last = getJson(path);
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(500);
    }
    throw new AssertionError(what + " not within " + timeout + ": " + last);
  }

  private static JsonNode awaitFinal(String jobId, Duration timeout) throws Exception {
    return await(
        "job " + jobId + " final",
        timeout,
        "/jobs/" + jobId,
        j -> Set.of("SUCCEEDED", "FAILED", "CANCELLED").contains(j.get("status").asString()));
  }

  private static JsonNode getJson(String path) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(api + path))
                .header("Authorization", "Bearer " + token)
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
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

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
