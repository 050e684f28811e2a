package dev.spotbatch.e2e.outage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.dispatcher.DispatcherApplication;
import dev.spotbatch.e2e.Sentences;
import dev.spotbatch.worker.WorkerApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.core.sync.RequestBody;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 10 point 5: one job rides through outages in turn, each while it runs, of the object store
 * (S3Proxy on disk, stopped and started again on the same port), the queue (see the subclasses) and
 * the database (zonky PostgreSQL stopped and started again on the same data directory). The
 * dispatcher and one worker run in this JVM on the production code paths (the queue's adapters, S3
 * store, PostgreSQL, the real model). The job must end SUCCEEDED with every record exactly once in
 * the parts its manifest lists.
 *
 * <p>Each outage lasts {@code -Doutage.seconds} (default 30 s, the figure): longer than one
 * call's whole retry budget (5 attempts, ~1.5 s) and than an open breaker waits before it probes
 * (10 s), so every layer above the adapters is tested. Figures in docs/BENCHMARKS.md.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractOutageIT {
  /** What is taken away, in the order the test takes them. */
  enum Outage {
    STORAGE,
    QUEUE,
    DATABASE
  }

  private static final Logger log = LoggerFactory.getLogger(AbstractOutageIT.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String TOKEN = "outage-test-token";
  private static final String BUCKET = "outage";
  private static final int RECORDS = 1_000;
  private static final Duration OUTAGE = Duration.ofSeconds(Long.getLong("outage.seconds", 30));

  @TempDir static Path dir;
  private OutageServers servers;
  private OutageQueue queue;
  private ConfigurableApplicationContext dispatcher;
  private ConfigurableApplicationContext worker;
  private String api;
  private final HttpClient http = HttpClient.newHttpClient();

  /** Starts the queue the dispatcher and the worker use. */
  protected abstract OutageQueue startQueue(Path directory) throws Exception;

  /** The outages this variant takes the job through, in order. */
  protected abstract List<Outage> outages();

  @BeforeAll
  void start() throws Exception {
    servers = OutageServers.start(dir);
    servers.s3().createBucket(b -> b.bucket(BUCKET));
    queue = startQueue(dir.resolve("queue"));
    List<String> both = new ArrayList<>(queue.clientArguments());
    both.addAll(
        List.of(
            "--spring.cloud.aws.region.static=us-east-1",
            "--spring.cloud.aws.credentials.access-key=" + OutageServers.S3_KEY,
            "--spring.cloud.aws.credentials.secret-key=" + OutageServers.S3_SECRET,
            "--spring.cloud.aws.s3.endpoint=" + servers.s3Endpoint(),
            "--spring.cloud.aws.s3.path-style-access-enabled=true"));
    List<String> d = new ArrayList<>(both);
    d.addAll(
        List.of(
            "--server.port=0",
            "--spotbatch.data-dir=" + dir.resolve("dispatcher"),
            "--spring.datasource.url=" + servers.jdbcUrl(),
            "--spring.datasource.username=postgres",
            "--spring.datasource.password=",
            // fail fast while the database is down, and come back as soon as it is up
            "--spring.datasource.hikari.connection-timeout=2000",
            "--spotbatch.storage.allowed-roots=s3://" + BUCKET + "/",
            "--spotbatch.storage.staging-uri=s3://" + BUCKET + "/staging/",
            "--spotbatch.security.token=" + TOKEN));
    dispatcher =
        new SpringApplicationBuilder(DispatcherApplication.class).run(d.toArray(String[]::new));
    api =
        "http://127.0.0.1:"
            + dispatcher.getEnvironment().getProperty("local.server.port")
            + "/api/v1";
    List<String> w = new ArrayList<>(both);
    w.addAll(
        List.of(
            "--server.port=0",
            "--spotbatch.worker.id=outage-worker",
            // in this JVM the dispatcher's application.properties comes first on the class path, so
            // the worker's context makes the dispatcher's H2 database too: give it a directory of
            // its own, or the other test JVM's worker finds the default one locked
            "--spotbatch.data-dir=" + dir.resolve("worker-data"),
            "--spotbatch.worker.concurrency=2",
            "--spotbatch.worker.poll-wait=1s",
            // slow enough that the job outlasts the three outages
            "--spotbatch.worker.max-records-per-second=40",
            "--spotbatch.worker.retry-base-delay=2s",
            "--spotbatch.worker.allowed-roots=s3://" + BUCKET + "/",
            "--spotbatch.worker.model-cache-dir=target/model-cache",
            "--spotbatch.worker.temp-dir=" + dir.resolve("worker-tmp"),
            "--spotbatch.worker.management.token=outage-mgmt"));
    worker = new SpringApplicationBuilder(WorkerApplication.class).run(w.toArray(String[]::new));
  }

  @AfterAll
  void stop() {
    for (AutoCloseable c :
        new AutoCloseable[] {
          worker == null ? null : worker::close,
          dispatcher == null ? null : dispatcher::close,
          queue,
          servers
        }) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        log.warn("closing after the outage test: {}", e.toString());
      }
    }
  }

  @Test
  void aJobRidesThroughOutages() throws Exception {
    StringBuilder input = new StringBuilder();
    for (int i = 0; i < RECORDS; i++) {
      input
          .append("{\"id\":\"rec-")
          .append(i)
          .append("\",\"text\":\"")
          .append(Sentences.sentence(i))
          .append("\"}\n");
    }
    servers
        .s3()
        .putObject(
            b -> b.bucket(BUCKET).key("in/docs.jsonl"),
            RequestBody.fromString(input.toString(), StandardCharsets.UTF_8));
    String body =
        """
        {"name":"outages","model":"all-minilm-l6-v2",
         "input":{"uri":"s3://%s/in/docs.jsonl"},"output":{"uri":"s3://%s/out/job/"},
         "itemBytes":4096,"maxAttempts":3}
        """
            .formatted(BUCKET, BUCKET);
    HttpResponse<String> created = send("POST", "/jobs", body);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String jobId = JSON.readTree(created.body()).get("id").asString();
    awaitProgress(jobId, Duration.ofSeconds(90));
    Instant started = Instant.now();

    Map<String, String> statusAtOutage = new LinkedHashMap<>();
    List<Outage> outages = outages();
    for (int i = 0; i < outages.size(); i++) {
      Outage outage = outages.get(i);
      statusAtOutage.put(outage.name(), statusOrUnknown(jobId));
      log.info("outage of {} s begins: {}", OUTAGE.toSeconds(), describe(outage));
      takeDown(outage);
      Thread.sleep(OUTAGE.toMillis());
      bringBack(outage);
      log.info("outage ends: {}", describe(outage));
      if (i < outages.size() - 1) {
        Thread.sleep(2_000);
      }
    }

    JsonNode job = awaitFinal(jobId, Duration.ofMinutes(4));
    log.info(
        "outages of {} s each ({}): job {} ended {} {} s after the first outage began; status at"
            + " each outage: {}",
        OUTAGE.toSeconds(),
        outages.stream().map(this::describe).collect(Collectors.joining("; ")),
        jobId,
        job.get("status").asString(),
        Duration.between(started, Instant.now()).toSeconds(),
        statusAtOutage);
    // every outage hit the job while it ran
    assertThat(statusAtOutage.values()).containsOnly("RUNNING");
    assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
    assertThat(job.at("/records/succeeded").asLong()).isEqualTo(RECORDS);
    assertThat(job.at("/records/failed").asLong()).isZero();
    assertThat(job.at("/items/failed").asLong()).isZero();

    JsonNode manifest = JSON.readTree(servers.read(BUCKET, "out/job/_SUCCESS"));
    Map<String, Integer> seen = new HashMap<>();
    for (JsonNode part : manifest.get("parts")) {
      for (String line :
          servers.read(BUCKET, "out/job/" + part.get("path").asString()).split("\n")) {
        if (!line.isBlank()) {
          seen.merge(JSON.readTree(line).get("id").asString(), 1, Integer::sum);
        }
      }
    }
    assertThat(seen).hasSize(RECORDS);
    assertThat(seen.values()).allMatch(n -> n == 1);
  }

  private String describe(Outage outage) {
    return switch (outage) {
      case STORAGE -> "the object store (S3Proxy) stopped and started again";
      case QUEUE -> queue.outageKind();
      case DATABASE -> "PostgreSQL stopped and started again on its data directory";
    };
  }

  private void takeDown(Outage outage) throws Exception {
    switch (outage) {
      case STORAGE -> servers.stopS3();
      case QUEUE -> queue.takeDown();
      case DATABASE -> servers.stopPostgres();
    }
  }

  private void bringBack(Outage outage) throws Exception {
    switch (outage) {
      case STORAGE -> servers.startS3();
      case QUEUE -> queue.bringBack();
      case DATABASE -> servers.startPostgres();
    }
  }

  /** Waits until the job runs and its first item is done: the outages then hit it mid-way. */
  private void awaitProgress(String jobId, Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      JsonNode job = JSON.readTree(send("GET", "/jobs/" + jobId, null).body());
      if (job.at("/items/succeeded").asLong() > 0) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("job " + jobId + " made no progress within " + timeout);
  }

  private JsonNode awaitFinal(String jobId, Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    JsonNode job = null;
    while (Instant.now().isBefore(deadline)) {
      HttpResponse<String> r = send("GET", "/jobs/" + jobId, null);
      if (r.statusCode() == 200) { // the API answers 5xx while its database comes back
        job = JSON.readTree(r.body());
        String s = job.get("status").asString();
        if (s.equals("SUCCEEDED") || s.equals("FAILED") || s.equals("CANCELLED")) {
          return job;
        }
      }
      Thread.sleep(500);
    }
    throw new AssertionError("job " + jobId + " did not finish within " + timeout + ": " + job);
  }

  private String status(String jobId) throws Exception {
    return JSON.readTree(send("GET", "/jobs/" + jobId, null).body()).get("status").asString();
  }

  private String statusOrUnknown(String jobId) {
    try {
      return status(jobId);
    } catch (Exception e) {
      return "UNKNOWN: " + e;
    }
  }

  private HttpResponse<String> send(String method, String path, String json) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(api + path))
            .header("Authorization", "Bearer " + TOKEN)
            .timeout(Duration.ofSeconds(30));
    if (json == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(json));
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
