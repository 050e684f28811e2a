package dev.spotbatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Crashes of the embedded default as a user meets them, written once for every broker: the real
 * {@code spotbatch-local} exec jar (dispatcher, embedded broker, H2, a worker JVM) runs a job of
 * {@value #RECORDS} records and is killed with SIGKILL twice on the same data directory:
 *
 * <ol>
 *   <li>the dispatcher alone, while its workers keep running (they are orphaned, as after an OOM
 *       kill of the dispatcher), then started again;
 *   <li>the whole process tree (the new dispatcher, its workers and the orphans), then started
 *       again.
 * </ol>
 *
 * <p>With no manual step the job must end {@code SUCCEEDED} with every record exactly once in the
 * manifest's parts. Workers lease for 10 s and the dispatcher's reconciler counts an item lost
 * after 10 s + 5 s of silence, so recovery fits in the test's time. Process logs go to {@code
 * target/crash-logs/<class>/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractCrashRecoveryIT {
  private static final Logger log = LoggerFactory.getLogger(AbstractCrashRecoveryIT.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * Small: the scenario's time goes into its three start-ups, and what is left after the second
   * kill (about 10 s of one capped worker) is enough to show that the restarted embedded default
   * finishes the job.
   */
  static final int RECORDS = 480;

  /** Records done before the first kill: the worker has leased and worked (a real mid-job). */
  static final int FIRST_KILL_AT = RECORDS / 8;

  /**
   * Records the restarted dispatcher must see done before the second kill: it took the orphaned
   * worker's and its new worker's events (enough to show the first recovery; the rest of the job
   * proves the second).
   */
  static final int PROGRESS_AFTER_RESTART = 20;

  static final int RECORDS_PER_SECOND_PER_WORKER = 40;
  private static final Pattern RESENT =
      Pattern.compile("(?m)^spotbatch_items_resent_total(?:\\{[^}]*\\})? ([0-9.eE+]+)$");

  @TempDir Path dataDir;
  final HttpClient http = HttpClient.newHttpClient();
  final int port = freePort();
  final List<ProcessHandle> started = new ArrayList<>();
  Process dispatcher;
  String token;
  int generation;

  /** The broker's arguments (queue type, embedded broker port). */
  protected abstract List<String> brokerArguments();

  /** Whether the crash must have made the reconciler re-send items (a broker that forgets). */
  protected abstract boolean brokerLosesMessagesOnCrash();

  @AfterAll
  void killEverything() {
    for (ProcessHandle p : started) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }

  @Test
  void aJobSurvivesSigkillOfTheDispatcherAndThenOfTheWholeEmbeddedDefault() throws Exception {
    Path input = dataDir.resolve("input/crash.jsonl");
    Files.createDirectories(input.getParent());
    Set<String> expectedIds = new HashSet<>();
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < RECORDS; i++) {
      expectedIds.add("rec-" + i);
      lines.add("{\"id\":\"rec-" + i + "\",\"text\":\"" + Sentences.sentence(i) + "\"}");
    }
    Files.write(input, lines, StandardCharsets.UTF_8);
    Path out = dataDir.resolve("out/crash/");
    Instant t0 = Instant.now();

    start();
    String body =
        """
        {"name":"crash","model":"all-minilm-l6-v2",
         "input":{"uri":"%s","format":"jsonl","textField":"text","idField":"id"},
         "output":{"uri":"%s"},"itemBytes":4096,"maxAttempts":3}
        """
            .formatted(input.toUri(), out.toUri());
    HttpResponse<String> created = post("/api/v1/jobs", body);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String jobId = JSON.readTree(created.body()).get("id").asString();

    // 1. SIGKILL of the dispatcher alone: its workers are orphaned and keep running
    long before = awaitRecords(jobId, FIRST_KILL_AT, Duration.ofMinutes(3));
    List<ProcessHandle> orphans = dispatcher.toHandle().descendants().toList();
    dispatcher.toHandle().destroyForcibly();
    dispatcher.waitFor();
    log.info(
        "crash: killed the dispatcher alone at {} records ({} s); {} worker processes keep running",
        before,
        Duration.between(t0, Instant.now()).toSeconds(),
        orphans.stream().filter(ProcessHandle::isAlive).count());

    start();
    long middle = awaitRecords(jobId, before + PROGRESS_AFTER_RESTART, Duration.ofMinutes(3));

    // 2. SIGKILL of the whole embedded default: the new dispatcher, its workers, the orphans
    List<ProcessHandle> tree = new ArrayList<>(dispatcher.toHandle().descendants().toList());
    tree.addAll(orphans);
    dispatcher.toHandle().destroyForcibly();
    tree.forEach(ProcessHandle::destroyForcibly);
    dispatcher.waitFor();
    log.info(
        "crash: killed the whole embedded default at {} records ({} s)",
        middle,
        Duration.between(t0, Instant.now()).toSeconds());

    start();
    JsonNode job = awaitFinal(jobId, Duration.ofMinutes(4));
    double resent = resentItems();
    log.info(
        "crash: job {} after {} s, {} items re-sent by the reconciler: {}",
        job.get("status").asString(),
        Duration.between(t0, Instant.now()).toSeconds(),
        resent,
        job);

    assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
    assertThat(job.at("/items/succeeded").asInt()).isEqualTo(job.at("/items/total").asInt());
    assertThat(job.at("/records/succeeded").asLong()).isEqualTo(RECORDS);
    Path manifestPath = Path.of(URI.create(job.at("/output/manifest").asString()));
    JsonNode manifest = JSON.readTree(Files.readString(manifestPath));
    Map<String, Integer> seen = new HashMap<>();
    for (JsonNode part : manifest.get("parts")) {
      for (String line : Files.readAllLines(out.resolve(part.get("path").asString()))) {
        seen.merge(JSON.readTree(line).get("id").asString(), 1, Integer::sum);
      }
    }
    assertThat(seen.keySet()).isEqualTo(expectedIds);
    assertThat(seen.values()).allMatch(n -> n == 1);
    if (brokerLosesMessagesOnCrash()) {
      assertThat(resent).as("items the reconciler re-sent after the queue was lost").isPositive();
    }
  }

  /** Starts the embedded default's exec jar on the data directory and waits for its API. */
  private void start() throws Exception {
    generation++;
    String jar = System.getProperty("spotbatch.local.jar");
    String workerJar = System.getProperty("spotbatch.worker.jar");
    assertThat(Path.of(jar)).as("embedded default jar (built by the local module)").exists();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Dai.djl.offline=true");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-jar");
    cmd.add(jar);
    cmd.add("--spring.profiles.active=local");
    cmd.add("--server.port=" + port);
    cmd.add("--spotbatch.data-dir=" + dataDir);
    cmd.addAll(brokerArguments());
    // one worker: each start-up costs a dispatcher and a worker boot on a shared machine
    cmd.add("--spotbatch.fleet.local.workers=1");
    cmd.add("--spotbatch.fleet.local.worker-jar=" + workerJar);
    String classData = System.getProperty("spotbatch.worker.class-data-dir", "");
    if (!classData.isBlank()) {
      cmd.add("--spotbatch.fleet.local.class-data-dir=" + classData);
    }
    cmd.add("--spotbatch.fleet.local.supervise-interval=1s");
    cmd.add("--spotbatch.recovery.lease=10s");
    cmd.add("--spotbatch.recovery.margin=5s");
    cmd.add("--spotbatch.recovery.interval=2s");
    List<String> worker =
        List.of(
            "--spotbatch.worker.concurrency=2",
            "--spotbatch.worker.intra-op-threads=1",
            "--spotbatch.worker.lease-time=10s",
            "--spotbatch.worker.heartbeat-interval=3s",
            "--spotbatch.worker.poll-wait=2s",
            "--spotbatch.worker.max-records-per-second=" + RECORDS_PER_SECOND_PER_WORKER);
    for (int i = 0; i < worker.size(); i++) {
      cmd.add("--spotbatch.fleet.local.worker-args[" + i + "]=" + worker.get(i));
    }
    Path logs = Path.of("target", "crash-logs", getClass().getSimpleName());
    Files.createDirectories(logs);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("OPT_OUT_TRACKING", "true");
    pb.redirectOutput(logs.resolve("dispatcher-" + generation + ".log").toFile());
    Files.deleteIfExists(dataDir.resolve("api-token"));
    dispatcher = pb.start();
    started.add(dispatcher.toHandle());
    Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
    while (Instant.now().isBefore(deadline)) {
      assertThat(dispatcher.isAlive())
          .as("dispatcher " + generation + " exited; see " + logs)
          .isTrue();
      Path tokenFile = dataDir.resolve("api-token");
      if (Files.exists(tokenFile) && healthy()) {
        token = Files.readString(tokenFile).strip();
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("dispatcher " + generation + " not up within 3 minutes; see " + logs);
  }

  private boolean healthy() {
    try {
      return http.send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Waits until the job has {@code atLeast} records done and fails if it ended first: a kill after
   * the job's end would prove nothing.
   */
  private long awaitRecords(String jobId, long atLeast, Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    JsonNode job = null;
    while (Instant.now().isBefore(deadline)) {
      job = getJson("/api/v1/jobs/" + jobId);
      assertThat(isFinal(job)).as("the job ended before the kill: %s", job).isFalse();
      long done = job.at("/records/succeeded").asLong();
      if (done >= atLeast) {
        return done;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("fewer than " + atLeast + " records done in " + timeout + ": " + job);
  }

  private JsonNode awaitFinal(String jobId, Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    JsonNode job = null;
    while (Instant.now().isBefore(deadline)) {
      job = getJson("/api/v1/jobs/" + jobId);
      if (isFinal(job)) {
        return job;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("job " + jobId + " did not finish within " + timeout + ": " + job);
  }

  private static boolean isFinal(JsonNode job) {
    return !List.of("PENDING", "RUNNING").contains(job.get("status").asString());
  }

  private double resentItems() throws Exception {
    HttpResponse<String> r = get("/actuator/prometheus");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    Matcher m = RESENT.matcher(r.body());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  private JsonNode getJson(String path) throws Exception {
    HttpResponse<String> r = get(path);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Authorization", "Bearer " + token)
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String json) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
