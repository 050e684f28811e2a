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
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Chaos on real parts, written once for every broker: a dispatcher (embedded broker, H2, local
 * store) and four worker JVMs, each with its own local IMDSv2 endpoint, running the real model.
 * While a job of {@value #RECORDS} records in many small items runs, the test interrupts workers
 * through {@code POST /api/v1/fleet/workers/{id}/interrupt}: spot notices with 120 s and with 5 s
 * (so running items are checkpointed), lifecycle terminations, SIGTERM and plain SIGKILL, at least
 * {@value #MIN_INTERRUPTIONS} of them before the job ends (rebalance recommendations are sent too
 * but do not count). The job must still succeed with every record exactly once in the manifest's
 * parts, nothing may reach the dead-letter queue, and every worker that was given a deadline must
 * have exited on its own before it.
 *
 * <p>Each worker is capped at {@value #RECORDS_PER_SECOND_PER_WORKER} records/s, so the job lasts
 * at least about as long on an idle machine as on a busy one. Pacing follows the job, not the
 * clock: the test stays ahead of a schedule of {@value #LEAD} + {@value #AIM} x progress
 * interruptions, as fast as the fleet allows while it is behind (at least {@value #MIN_GAP_MS} ms
 * apart, and only while two workers run un-interrupted, so the job keeps moving), and waits while
 * it is ahead, so the interruptions are spread over the job on a fast machine and still reach the
 * minimum early on a slow, shared one. Once the minimum is reached, none is sent after {@value
 * #LAST_INTERRUPTION_BEFORE} of the records are done (the job's tail).
 *
 * <p>In the same job the broker and the dispatcher are restarted (issue 10, point 10): at {@value
 * #BROKER_RESTART_AT} of the records the broker alone where the subclass can ({@link
 * #restartBroker()}: ElasticMQ restarts empty, so everything queued and in flight is lost and the
 * dispatcher's reconciler must send it again), and at {@value #DISPATCHER_RESTART_AT} the
 * dispatcher (its Spring context closed and started again on the same data directory and ports),
 * which restarts its embedded broker and its local fleet too. Interruption checks that read the
 * fleet's history add up the fleets before and after.
 *
 * <p>A subclass supplies the broker: the dispatcher's extra arguments (queue type, embedded broker
 * port), the broker restart and the dead-letter probe. Worker logs are copied to {@code
 * target/chaos-logs/<class>/}.
 */
@Tag("chaos")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractChaosIT {
  private static final Logger log = LoggerFactory.getLogger(AbstractChaosIT.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  static final int WORKERS = 4;
  static final int RECORDS = 16_000;

  /** Interruptions (rebalance recommendations not counted) that must happen during the job. */
  static final int MIN_INTERRUPTIONS = 20;

  /** The pacing schedule: stay ahead of LEAD + AIM x progress (progress from 0 to 1). */
  static final int LEAD = 6;

  static final int AIM = 22;
  static final int MIN_GAP_MS = 1500;

  /**
   * Each worker's throughput cap. It makes the job last about as long on an idle machine as on a
   * loaded one (on a loaded machine the workers stay under it anyway), so the number of
   * interruptions that fit into the job is a property of this test, not of the machine's speed:
   * uncapped on an idle machine, the job ended before replacements could boot often enough.
   */
  static final int RECORDS_PER_SECOND_PER_WORKER = 40;

  /** Share of the records done when the broker is restarted. */
  static final double BROKER_RESTART_AT = 0.3;

  /** Share of the records done when the dispatcher is restarted. */
  static final double DISPATCHER_RESTART_AT = 0.55;

  /**
   * Share of the records after which no more interruptions are sent once {@value
   * #MIN_INTERRUPTIONS} were: one in the last stretch only stretches the job's tail (a killed
   * worker's last items wait out their lease or lock, a replacement boots for the few left) and
   * covers nothing the earlier ones did not (measured: a SIGKILL at 96% of the job, then 27 s to
   * its end).
   */
  static final double LAST_INTERRUPTION_BEFORE = 0.85;

  /** The order in which kinds are used (spot 120 s, spot 5 s, SIGTERM with 30 s, SIGKILL, ...). */
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
  ConfigurableApplicationContext dispatcher;
  List<String> dispatcherArgs;
  String api;
  String token;

  /** Fleet history of dispatchers before a restart: workers given a deadline, and late ones. */
  int drainedBefore;

  final List<String> lateBefore = new ArrayList<>();
  int killsBefore;
  final HttpClient http = HttpClient.newHttpClient();

  /**
   * The dispatcher's arguments for this broker: at least its queue type and the embedded broker's
   * port (e.g. {@code --spotbatch.queue.type=sqs}, {@code --spotbatch.embedded.sqs.port=N}).
   */
  protected abstract List<String> brokerArguments();

  /**
   * Records ever written to the broker's dead-letter queue (or topic) that are still there. The
   * dispatcher now takes dead letters off the queue and fails their items, so a job that ends
   * SUCCEEDED also proves none was dead-lettered; this probe stays as a second look.
   */
  protected abstract long deadLetters() throws Exception;

  /**
   * Restarts the broker alone, while the dispatcher and the workers run on; returns false when the
   * broker cannot restart without the dispatcher (it restarts with it, see {@link
   * #restartDispatcher()}).
   */
  protected abstract boolean restartBroker() throws Exception;

  /**
   * Whether a {@link ChunkEmbedJob} is submitted just before the chaos job, so the first
   * interruptions (a spot notice with 120 s and one with 5 s, SIGTERM, SIGKILL) hit it mid-item:
   * the chaos run of a {@code chunk,embed} job issue 14 asks for, on the start-up of this test. One
   * broker is enough (the chain's checkpoints are the worker's, not the queue's), and it costs the
   * chaos job a few percent of its work.
   */
  protected boolean withChunkEmbedJob() {
    return false;
  }

  @BeforeAll
  void startDispatcherWithFourWorkers() throws IOException {
    String workerJar = System.getProperty("spotbatch.worker.jar");
    assertThat(Path.of(workerJar)).as("worker jar (built by the worker module)").exists();
    List<String> args = new ArrayList<>();
    args.add("--server.port=0");
    args.add("--spotbatch.data-dir=" + dataDir);
    args.addAll(brokerArguments());
    args.add("--spotbatch.fleet.local.workers=" + WORKERS);
    args.add("--spotbatch.fleet.local.worker-jar=" + workerJar);
    String classData = System.getProperty("spotbatch.worker.class-data-dir");
    if (classData != null && !classData.isBlank()) {
      args.add("--spotbatch.fleet.local.class-data-dir=" + classData);
    }
    args.add("--spotbatch.fleet.local.supervise-interval=1s");
    args.add("--spotbatch.fleet.local.stop-grace=20s");
    // every ended process stays in the fleet's history, so the deadline check below sees them all
    args.add("--spotbatch.fleet.local.history-size=500");
    // the reconciler counts an item lost after the workers' 20 s lease plus 10 s of silence
    args.add("--spotbatch.recovery.lease=20s");
    args.add("--spotbatch.recovery.margin=10s");
    args.add("--spotbatch.recovery.interval=5s");
    // cheap workers: four of them share two cores
    List<String> worker =
        List.of(
            "--spotbatch.worker.concurrency=2",
            "--spotbatch.worker.intra-op-threads=1",
            "--spotbatch.worker.lease-time=20s",
            "--spotbatch.worker.heartbeat-interval=5s",
            "--spotbatch.worker.poll-wait=2s",
            "--spotbatch.worker.shutdown-grace=20s",
            "--spotbatch.worker.max-records-per-second=" + RECORDS_PER_SECOND_PER_WORKER);
    for (int i = 0; i < worker.size(); i++) {
      args.add("--spotbatch.fleet.local.worker-args[" + i + "]=" + worker.get(i));
    }
    dispatcherArgs = List.copyOf(args);
    startDispatcher();
  }

  private void startDispatcher() throws IOException {
    dispatcher =
        new SpringApplicationBuilder(DispatcherApplication.class)
            .profiles("local")
            .run(dispatcherArgs.toArray(String[]::new));
    String port = dispatcher.getEnvironment().getProperty("local.server.port");
    api = "http://127.0.0.1:" + port + "/api/v1";
    // the embedded default wrote its token there, owner-only; a user's client reads it the same way
    token = Files.readString(dataDir.resolve("api-token")).strip();
  }

  /**
   * Restarts the dispatcher on the same data directory and ports: once no interruption with a
   * deadline is pending, its fleet's history is added up, then the context is closed (the local
   * fleet drains and stops its workers, the embedded broker stops) and started again, and the new
   * fleet's workers are awaited.
   */
  void restartDispatcher() throws Exception {
    JsonNode fleet = awaitNoPendingDeadline(Duration.ofSeconds(90));
    drainedBefore += tallyDeadlines(fleet, lateBefore);
    killsBefore += fleet.at("/interruptions/kill").asInt();
    dispatcher.close();
    startDispatcher();
    // as at the start: interruptions resume once the new fleet has booted (four JVMs booting at
    // once on two cores leave a worker that got a 5 s notice too little CPU to drain in time)
    awaitRunningWorkers(WORKERS, Duration.ofMinutes(3));
  }

  /**
   * Workers in a fleet's history that were given a deadline; adds the late ones to {@code late}.
   */
  private static int tallyDeadlines(JsonNode fleet, List<String> late) {
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
    return drained;
  }

  @AfterAll
  void stop() throws IOException {
    try {
      if (dispatcher != null) {
        dispatcher.close();
      }
    } finally {
      copyWorkerLogs();
    }
  }

  /** Keeps the worker logs (the data directory is deleted) for whoever reads a failure. */
  private void copyWorkerLogs() throws IOException {
    Path logs = dataDir.resolve("logs");
    if (!Files.isDirectory(logs)) {
      return;
    }
    Path target = Path.of("target", "chaos-logs", getClass().getSimpleName());
    Files.createDirectories(target);
    try (Stream<Path> files = Files.list(logs)) {
      for (Path f : files.toList()) {
        Files.copy(f, target.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    log.info("chaos: worker logs copied to {}", target.toAbsolutePath());
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

    // the first start may prepare the workers' class-data archive before it boots four JVMs: on a
    // loaded machine (load average 40) that alone took 108 s
    awaitRunningWorkers(WORKERS, Duration.ofMinutes(5));
    ChunkEmbedJob chunks = withChunkEmbedJob() ? new ChunkEmbedJob(dataDir) : null;
    String chunksId = null;
    if (chunks != null) {
      HttpResponse<String> r = post("/jobs", chunks.prepare());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      chunksId = JSON.readTree(r.body()).get("id").asString();
    }
    int chunksInterrupted = 0; // counted interruptions sent while the chunk,embed job ran
    String body =
        """
        {"name":"chaos","model":"all-minilm-l6-v2",
         "input":{"uri":"%s","format":"jsonl","textField":"text","idField":"id"},
         "output":{"uri":"%s"},"itemBytes":12288,"maxAttempts":3}
        """
            .formatted(input.toUri(), out.toUri());
    Instant submitted = Instant.now();
    HttpResponse<String> created = post("/jobs", body);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String jobId = JSON.readTree(created.body()).get("id").asString();

    // interrupt workers, one at a time, while the job runs; keep at least one working
    Map<String, Integer> byKind = new LinkedHashMap<>();
    int sent = 0; // every interruption, rebalance recommendations included
    int refused = 0; // 409s: the next pick moves on to another worker
    int counted = 0; // those that take a worker away
    int withDeadline = 0; // spot, lifecycle and SIGTERM: the worker must exit before a deadline
    double progressAtMin = -1;
    Instant atMin = null;
    Instant last = Instant.EPOCH;
    boolean brokerRestarted = false;
    boolean dispatcherRestarted = false;
    Instant giveUp = submitted.plus(Duration.ofMinutes(9));
    while (Instant.now().isBefore(giveUp)) {
      JsonNode job = getJson("/jobs/" + jobId);
      if (isFinal(job.get("status").asString())) {
        break;
      }
      double done = job.at("/records/succeeded").asLong() / (double) RECORDS;
      if (!brokerRestarted && done >= BROKER_RESTART_AT) {
        brokerRestarted = true;
        boolean alone = restartBroker();
        log.info(
            "chaos: {} at {}% of the job, t={} s",
            alone ? "broker restarted" : "broker restarts with the dispatcher",
            Math.round(done * 100),
            Duration.between(submitted, Instant.now()).toSeconds());
        continue;
      }
      if (!dispatcherRestarted && done >= DISPATCHER_RESTART_AT) {
        dispatcherRestarted = true;
        Instant at = Instant.now();
        restartDispatcher();
        log.info(
            "chaos: dispatcher restarted at {}% of the job in {} s, t={} s",
            Math.round(done * 100),
            Duration.between(at, Instant.now()).toSeconds(),
            Duration.between(submitted, Instant.now()).toSeconds());
        last = Instant.now();
        continue;
      }
      if (Duration.between(last, Instant.now()).toMillis() < MIN_GAP_MS) {
        Thread.sleep(250);
        continue;
      }
      double progress = job.at("/records/succeeded").asLong() / (double) RECORDS;
      if (counted >= LEAD + AIM * progress
          || (counted >= MIN_INTERRUPTIONS && progress >= LAST_INTERRUPTION_BEFORE)) {
        Thread.sleep(500); // ahead of the schedule, or in the job's last stretch
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
      String[] what = PLAN.get(sent % PLAN.size());
      // SIGKILL and SIGTERM may also hit a machine that is still booting; IMDS notices go to
      // running workers (a booting JVM could not meet a 5 s deadline)
      List<String> victims = new ArrayList<>(running);
      if (what[0].equals("kill") || what[0].equals("sigterm")) {
        victims.addAll(starting);
      }
      if (running.size() < 2 || victims.isEmpty()) {
        Thread.sleep(250);
        continue;
      }
      String victim = victims.get((sent + refused) % victims.size());
      String query = "?kind=" + what[0] + (what[1] == null ? "" : "&deadlineSeconds=" + what[1]);
      HttpResponse<String> r = post("/fleet/workers/" + victim + "/interrupt" + query, "");
      if (r.statusCode() == 409) {
        // lost between the two calls: pick again, another worker, and say so (always picking the
        // same one could spin here unseen; a ChaosIT run sent nothing in its job's last 94 s, after
        // the dispatcher's restart, and nothing in its log said why)
        refused++;
        log.info("chaos: {} refused {}: {}", victim, query, r.body());
        Thread.sleep(250);
        continue;
      }
      assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
      sent++;
      if (!what[0].equals("rebalance")) {
        counted++;
        if (chunksId != null && !isFinal(getJson("/jobs/" + chunksId).get("status").asString())) {
          chunksInterrupted++;
        }
      }
      if (!what[0].equals("rebalance") && !what[0].equals("kill")) {
        withDeadline++;
      }
      if (counted == MIN_INTERRUPTIONS && atMin == null) {
        atMin = Instant.now();
        progressAtMin = progress;
      }
      log.info(
          "chaos: interrupted {} with {} ({} so far, job {}% done, t={} s): {}",
          victim,
          query,
          counted,
          Math.round(progress * 100),
          Duration.between(submitted, Instant.now()).toSeconds(),
          r.body());
      byKind.merge(what[0] + (what[1] == null ? "" : what[1]), 1, Integer::sum);
      last = Instant.now();
    }

    JsonNode job = awaitFinal(jobId, Duration.ofMinutes(6));
    if (!brokerRestarted || !dispatcherRestarted) {
      // the job ended (or the loop gave up) before both restarts: say how, e.g. FAILED because an
      // item was dead-lettered, with the items' reasons, rather than a bare "expected true"
      throw new AssertionError(
          "the job reached "
              + job.get("status").asString()
              + " before "
              + (brokerRestarted ? "the dispatcher's" : "the broker's")
              + " restart (at "
              + Math.round(100 * BROKER_RESTART_AT)
              + "% and "
              + Math.round(100 * DISPATCHER_RESTART_AT)
              + "% of the records); "
              + describe(jobId));
    }
    Instant ended = Instant.now();
    log.info(
        "chaos: {} records, {} interruptions during the job ({} counted) by kind {}; the {}th at"
            + " {}% of the job, {} s before its end; job took {} s",
        RECORDS,
        sent,
        counted,
        byKind,
        MIN_INTERRUPTIONS,
        progressAtMin < 0 ? "-" : Math.round(progressAtMin * 100),
        atMin == null ? "-" : Duration.between(atMin, ended).toSeconds(),
        Duration.between(submitted, ended).toSeconds());
    assertThat(job.get("status").asString()).as(() -> describe(jobId)).isEqualTo("SUCCEEDED");
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

    // nothing was dead-lettered: interruptions do not count against the broker's delivery count
    // (a dead-lettered item would have failed the job, see deadLetters())
    assertThat(deadLetters()).isZero();

    // every worker that got a deadline exited on its own before it (none had to be killed), in
    // the fleets before and after the dispatcher's restart
    JsonNode fleet = awaitNoPendingDeadline(Duration.ofSeconds(150));
    List<String> late = new ArrayList<>(lateBefore);
    int drained = drainedBefore + tallyDeadlines(fleet, late);
    log.info("chaos: fleet at the end: {}", fleet);
    assertThat(drained)
        .as("workers given a deadline, in the fleet's history")
        .isEqualTo(withDeadline);
    assertThat(late).as("workers that did not exit before their deadline").isEmpty();
    assertThat(killsBefore + fleet.at("/interruptions/kill").asInt()).isGreaterThanOrEqualTo(1);
    assertThat(counted)
        .as("interruptions before the job ended (" + byKind + ")")
        .isGreaterThanOrEqualTo(MIN_INTERRUPTIONS);
    assertThat(byKind.keySet()).contains("spot120", "spot5", "sigterm30", "kill");

    if (chunks != null) {
      log.info(
          "chaos: the chunk,embed job ran through {} counted interruptions", chunksInterrupted);
      assertThat(chunksInterrupted)
          .as("interruptions while the chunk,embed job ran")
          .isGreaterThanOrEqualTo(1);
      chunks.assertEveryChunkExactlyOnce(awaitFinal(chunksId, Duration.ofMinutes(1)));
    }
  }

  /** Waits until no worker has an interruption with a deadline still to come, or is lost. */
  private JsonNode awaitNoPendingDeadline(Duration timeout) throws Exception {
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

  private void awaitRunningWorkers(int n, Duration timeout) throws Exception {
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

  private static boolean isFinal(String status) {
    return status.equals("SUCCEEDED") || status.equals("FAILED") || status.equals("CANCELLED");
  }

  private JsonNode awaitFinal(String jobId, Duration timeout) throws Exception {
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

  /**
   * The job as the API shows it, its failures with their reasons (a dead-lettered item's among
   * them) and the dead-letter count, for a failure message.
   */
  private String describe(String jobId) {
    StringBuilder s = new StringBuilder();
    try {
      s.append("job: ").append(getJson("/jobs/" + jobId));
      s.append("; failures: ").append(getJson("/jobs/" + jobId + "/failures"));
      s.append("; dead letters: ").append(deadLetters());
    } catch (Exception | AssertionError e) {
      s.append("; (could not read more: ").append(e).append(')');
    }
    return s.toString();
  }

  private JsonNode getJson(String path) throws Exception {
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

  private HttpResponse<String> post(String path, String json) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(api + path))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A TCP port that was free a moment ago (for an embedded broker). */
  protected static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
