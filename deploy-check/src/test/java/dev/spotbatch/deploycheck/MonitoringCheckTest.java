package dev.spotbatch.deploycheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotbatch.testing.ElasticMqServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.ZipFile;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every metric the Grafana dashboard and the Prometheus rules read must exist: it is registered in
 * the apps' main sources, and (where the apps are packaged) the dispatcher and a worker, started
 * from their jars through docker/entrypoint.sh, expose it on /actuator/prometheus.
 */
class MonitoringCheckTest {
  static final Path DASHBOARD = Repo.path("deploy/monitoring/grafana/spotbatch.json");
  static final Path RULES = Repo.path("deploy/monitoring/prometheus/spotbatch-alerts.yml");
  static final Pattern METRIC =
      Pattern.compile(
          "\\b(spotbatch_[a-z0-9_]+|jvm_[a-z0-9_]+|process_[a-z0-9_]+|up)\\b(?!\\s*\\()");

  /**
   * Meters whose tags come from events (pool, kind): they appear on /actuator/prometheus after the
   * first event, so an idle app's scrape cannot show them; the source check covers them.
   */
  static final Set<String> REGISTERED_ON_FIRST_USE =
      Set.of(
          "spotbatch.fleet.interruptions",
          "spotbatch.fleet.drain.items",
          "spotbatch.fleet.drains",
          "spotbatch.fleet.drain.duration",
          // per watched spot machine, from the first price alert check (none without a fleet)
          "spotbatch.spot.price.alert",
          "spotbatch.spot.price.alerts");

  /** Where each expression comes from, for messages. */
  static Map<String, String> expressions() throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    JsonNode dash = new ObjectMapper().readTree(DASHBOARD.toFile());
    for (JsonNode panel : dash.get("panels")) {
      for (JsonNode t : panel.path("targets")) {
        out.put(
            "dashboard panel '" + panel.get("title").asText() + "' " + t.get("refId").asText(),
            t.get("expr").asText());
      }
    }
    for (Object g : ComposeCheckTest.list(ComposeCheckTest.yaml(RULES).get("groups"))) {
      for (Object r : ComposeCheckTest.list(ComposeCheckTest.map(g).get("rules"))) {
        Map<String, Object> rule = ComposeCheckTest.map(r);
        out.put("rule " + rule.get("alert"), String.valueOf(rule.get("expr")));
      }
    }
    return out;
  }

  static Set<String> metricsIn(String expr) {
    // label matchers hold values, not metric names: leave them out
    String withoutLabels =
        expr.replaceAll("\\{[^}]*\\}", "{}")
            .replaceAll("\\b(by|without|on|ignoring)\\s*\\([^)]*\\)", "");
    Set<String> names = new TreeSet<>();
    Matcher m = METRIC.matcher(withoutLabels);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /** spotbatch_worker_batch_latency_seconds_sum -> spotbatch.worker.batch.latency */
  static String micrometerName(String prometheus) {
    String base = prometheus.replaceFirst("(_seconds)?(_total|_sum|_count|_max|_bucket)?$", "");
    return base.replace('_', '.');
  }

  static Set<String> usedMetrics() throws IOException {
    Set<String> all = new TreeSet<>();
    expressions().values().forEach(e -> all.addAll(metricsIn(e)));
    return all;
  }

  @Test
  void theDashboardAndRulesReadTheSpotbatchMetrics() throws IOException {
    assertThat(usedMetrics())
        .contains(
            "spotbatch_queue_items",
            "spotbatch_backlog_oldest_age_seconds",
            "spotbatch_worker_records_total",
            "spotbatch_fleet_interruptions_total",
            "spotbatch_fleet_drain_items_total",
            "spotbatch_worker_heartbeat_failures_total",
            "spotbatch_circuit_breakers");
    assertThat(micrometerName("spotbatch_worker_batch_latency_seconds_sum"))
        .isEqualTo("spotbatch.worker.batch.latency");
    assertThat(micrometerName("spotbatch_fleet_interruptions_total"))
        .isEqualTo("spotbatch.fleet.interruptions");
  }

  @Test
  void everySpotbatchMetricTheyReadIsRegisteredInTheMainSources() throws IOException {
    String sources = mainSources();
    SoftAssertions soft = new SoftAssertions();
    Map<String, String> exprs = expressions();
    exprs.forEach(
        (where, expr) ->
            metricsIn(expr).stream()
                .filter(n -> n.startsWith("spotbatch_"))
                .forEach(
                    n ->
                        soft.assertThat(sources)
                            .as(
                                where
                                    + " reads "
                                    + n
                                    + ": no meter \""
                                    + micrometerName(n)
                                    + "\" in the main sources")
                            .contains("\"" + micrometerName(n) + "\"")));
    soft.assertAll();
  }

  @Test
  void everyRuleHasANameASeverityAndASummary() {
    Set<String> names = new HashSet<>();
    for (Object g : ComposeCheckTest.list(ComposeCheckTest.yaml(RULES).get("groups"))) {
      for (Object r : ComposeCheckTest.list(ComposeCheckTest.map(g).get("rules"))) {
        Map<String, Object> rule = ComposeCheckTest.map(r);
        String alert = String.valueOf(rule.get("alert"));
        assertThat(names.add(alert)).as("alert names are unique: " + alert).isTrue();
        assertThat(ComposeCheckTest.map(rule.get("labels")).get("severity"))
            .as(alert)
            .isIn("info", "warning", "critical");
        assertThat(ComposeCheckTest.map(rule.get("annotations")))
            .as(alert)
            .containsKeys("summary", "description");
        String expr = String.valueOf(rule.get("expr"));
        assertThat(balanced(expr)).as(alert + ": brackets balance in " + expr).isTrue();
      }
    }
    assertThat(names).hasSizeGreaterThanOrEqualTo(8);
  }

  @Test
  void theDashboardUsesTheDatasourceVariableAndUniquePanelIds() throws IOException {
    JsonNode dash = new ObjectMapper().readTree(DASHBOARD.toFile());
    assertThat(dash.get("uid").asText()).isEqualTo("spotbatch-overview");
    Set<Integer> ids = new HashSet<>();
    for (JsonNode p : dash.get("panels")) {
      assertThat(ids.add(p.get("id").asInt())).as("panel id " + p.get("id")).isTrue();
      if (!p.get("type").asText().equals("row")) {
        assertThat(p.path("targets")).as(p.get("title").asText()).isNotEmpty();
        assertThat(p.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
        p.get("targets")
            .forEach(
                t ->
                    assertThat(balanced(t.get("expr").asText()))
                        .as(t.get("expr").asText())
                        .isTrue());
      }
    }
    assertThat(dash.path("templating").path("list").get(0).path("name").asText())
        .isEqualTo("datasource");
  }

  static boolean balanced(String s) {
    int round = 0;
    int curly = 0;
    int square = 0;
    for (char c : s.toCharArray()) {
      switch (c) {
        case '(' -> round++;
        case ')' -> round--;
        case '{' -> curly++;
        case '}' -> curly--;
        case '[' -> square++;
        case ']' -> square--;
        default -> {}
      }
      if (round < 0 || curly < 0 || square < 0) {
        return false;
      }
    }
    return round == 0 && curly == 0 && square == 0;
  }

  // ------------------------------------------------------------------ the running apps

  @Test
  void everyMetricTheyReadIsOnTheRunningAppsActuatorPrometheus(@TempDir Path tmp) throws Exception {
    Optional<Path> workerJar = execJar("worker");
    Optional<Path> dispatcherJar = execJar("dispatcher");
    assumeTrue(
        workerJar.isPresent() && dispatcherJar.isPresent(),
        "the apps are not packaged (or older than their sources): ./mvnw verify packages them first");

    int workerPort = freePort();
    int dispatcherPort = freePort();
    // The production jars on the production queue path: SQS, here an in-process ElasticMQ with the
    // queues Terraform would create (the jars hold neither an emulator nor an in-memory queue).
    try (ElasticMqServer sqs = ElasticMqServer.start()) {
      for (String queue : List.of("spotbatch-work", "spotbatch-events")) {
        sqs.client().createQueue(b -> b.queueName(queue)).join();
      }
      List<String> aws =
          List.of(
              "--spring.cloud.aws.sqs.endpoint=" + sqs.endpoint(),
              "--spring.cloud.aws.s3.enabled=false",
              "--spring.cloud.aws.region.static=us-east-1",
              "--spring.cloud.aws.credentials.access-key=test",
              "--spring.cloud.aws.credentials.secret-key=test");
      String root = tmp.resolve("data").toUri().toString();
      List<String> dispatcherArgs = new ArrayList<>(aws);
      dispatcherArgs.addAll(
          List.of(
              "--server.port=" + dispatcherPort,
              "--spotbatch.data-dir=" + tmp.resolve("dispatcher"),
              // production refuses to start without API keys; metrics need the fleet role
              "--spotbatch.security.keys[0].name=deploy-check",
              "--spotbatch.security.keys[0].hash=" + sha256Hex(TOKEN),
              "--spotbatch.security.keys[0].roles=fleet",
              "--spotbatch.storage.allowed-roots=" + root));
      List<String> workerArgs = new ArrayList<>(aws);
      workerArgs.addAll(
          List.of(
              "--server.port=" + workerPort,
              "--spotbatch.worker.notice.provider=none",
              "--spotbatch.worker.preload-models=",
              "--spotbatch.worker.model-cache-dir=" + tmp.resolve("models"),
              "--spotbatch.worker.temp-dir=" + tmp.resolve("worker-tmp"),
              "--spotbatch.worker.allowed-roots=" + root));
      Process dispatcher =
          start(dispatcherJar.get(), dispatcherArgs, tmp.resolve("dispatcher.log"));
      Process worker = start(workerJar.get(), workerArgs, tmp.resolve("worker.log"));
      try {
        Set<String> exposed = new TreeSet<>();
        exposed.addAll(scrape(dispatcherPort, dispatcher, tmp.resolve("dispatcher.log")));
        exposed.addAll(scrape(workerPort, worker, tmp.resolve("worker.log")));
        exposed.add("up"); // Prometheus's own
        assertExposed(exposed);
      } finally {
        stop(worker, dispatcher);
      }
    }
  }

  static void assertExposed(Set<String> exposed) throws IOException {
    SoftAssertions soft = new SoftAssertions();
    expressions()
        .forEach(
            (where, expr) ->
                metricsIn(expr).stream()
                    .filter(n -> !REGISTERED_ON_FIRST_USE.contains(micrometerName(n)))
                    .forEach(
                        n ->
                            soft.assertThat(exposed)
                                .as(where + " reads " + n + ", which the apps do not expose")
                                .contains(n)));
    soft.assertAll();
  }

  /** The app's Spring Boot jar, if packaged after the module's last source change. */
  static Optional<Path> execJar(String module) throws IOException {
    Path target = Repo.path(module + "/target");
    if (!Files.isDirectory(target)) {
      return Optional.empty();
    }
    FileTime newestSource =
        Repo.files(Repo.path(module + "/src/main"), ".java", ".properties", ".sql").stream()
            .map(MonitoringCheckTest::modified)
            .max(FileTime::compareTo)
            .orElse(FileTime.from(Instant.EPOCH));
    try (var s = Files.list(target)) {
      for (Path jar : s.filter(p -> p.toString().endsWith(".jar")).toList()) {
        try (ZipFile z = new ZipFile(jar.toFile())) {
          if (z.getEntry("BOOT-INF/") != null
              || z.stream().anyMatch(e -> e.getName().startsWith("BOOT-INF/"))) {
            return modified(jar).compareTo(newestSource) >= 0 ? Optional.of(jar) : Optional.empty();
          }
        }
      }
    }
    return Optional.empty();
  }

  static FileTime modified(Path p) {
    try {
      return Files.getLastModifiedTime(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static Process start(Path jar, List<String> args, Path log) throws IOException {
    List<String> command =
        new ArrayList<>(List.of("sh", Repo.path("docker/entrypoint.sh").toString()));
    command.addAll(args);
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("APP_JAR", jar.toString());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().put("JAVA_OPTS", "-Xmx384m -XX:TieredStopAtLevel=1");
    return pb.start();
  }

  static Set<String> scrape(int port, Process app, Path log) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
    String body = null;
    while (Instant.now().isBefore(deadline)) {
      if (!app.isAlive()) {
        throw new AssertionError("the app exited: " + Repo.read(log));
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                    .header("Authorization", "Bearer " + TOKEN)
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          body = r.body();
          break;
        }
      } catch (IOException notYet) {
        // starting
      }
      Thread.sleep(500);
    }
    assertThat(body).as("/actuator/prometheus on port " + port + "; log: " + log).isNotNull();
    return body.lines()
        .filter(l -> !l.startsWith("#") && !l.isBlank())
        .map(l -> l.split("[{ ]", 2)[0])
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** Stops the apps together: each takes 3-4 s to shut down gracefully on SIGTERM. */
  static void stop(Process... apps) throws InterruptedException {
    List<ProcessHandle> children = new ArrayList<>(); // none while entrypoint.sh execs
    for (Process p : apps) {
      children.addAll(p.descendants().toList());
      p.toHandle().destroy();
    }
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (Process p : apps) {
      if (!p.waitFor(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        p.destroyForcibly();
      }
    }
    children.forEach(ProcessHandle::destroyForcibly);
  }

  /** The API token the started dispatcher accepts (only its hash is configured). */
  static final String TOKEN = "deploy-check-token";

  static String sha256Hex(String s) throws java.security.NoSuchAlgorithmException {
    byte[] d =
        java.security.MessageDigest.getInstance("SHA-256")
            .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return java.util.HexFormat.of().formatHex(d);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static String mainSources() {
    StringBuilder sb = new StringBuilder();
    for (String module : List.of("common", "boot", "worker", "dispatcher")) {
      for (Path f : Repo.files(Repo.path(module + "/src/main/java"), ".java")) {
        sb.append(Repo.read(f)).append('\n');
      }
    }
    return sb.toString();
  }
}
