package dev.spotbatch.bench;

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
import java.util.List;
import java.util.Locale;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The autoscaler against a fixed fleet sized by hand, same job with the same deadline, one after
 * the other in one run: the embedded default (real worker JVMs, the real model, capped at {@code
 * maxRps} records/s each) from a cold fleet. Figures: backlog to the first worker ready, to the
 * desired count reached; the job's finish against its deadline; and worker-seconds (every worker
 * machine from its start to its exit, or to the job's end for the fixed fleet, which a person would
 * stop then).
 */
final class AutoscaleBenchmark {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final int records;
  private final Duration deadlineIn;
  private final int fixedWorkers;
  private final int maxRps;
  private final HttpClient http = HttpClient.newHttpClient();

  AutoscaleBenchmark(int records, Duration deadlineIn, int fixedWorkers, int maxRps) {
    this.records = records;
    this.deadlineIn = deadlineIn;
    this.fixedWorkers = fixedWorkers;
    this.maxRps = maxRps;
  }

  private record Result(
      String setup,
      double firstReadyS,
      double desiredReachedS,
      int desiredMax,
      double finishedS,
      double deadlineS,
      double workerSeconds) {}

  List<String> run() throws Exception {
    // the workers' class-data archive is prepared once per worker jar: not part of either figure
    run("warm-up", List.of("--spotbatch.fleet.local.workers=1"), false, true);
    List<String> rows = new ArrayList<>();
    for (Result r :
        List.of(
            run(
                "autoscaled 0..3",
                List.of(
                    "--spotbatch.autoscaler.min-workers=0",
                    "--spotbatch.autoscaler.max-workers=3",
                    "--spotbatch.autoscaler.tick=2s",
                    "--spotbatch.autoscaler.deadline-margin=20s",
                    "--spotbatch.autoscaler.idle-after=5s",
                    "--spotbatch.autoscaler.scale-in-cooldown=10s",
                    "--spotbatch.autoscaler.scale-in-stabilization=10s",
                    "--spotbatch.autoscaler.assumed-records-per-second-per-worker=" + maxRps),
                true,
                false),
            run(
                "fixed " + fixedWorkers + " (by hand)",
                List.of("--spotbatch.fleet.local.workers=" + fixedWorkers),
                false,
                false))) {
      rows.add(
          String.format(
              Locale.ROOT,
              "| %s | %.1f s | %.1f s (%d) | %.1f s | %.1f s | %s | %.0f |",
              r.setup(),
              r.firstReadyS(),
              r.desiredReachedS(),
              r.desiredMax(),
              r.finishedS(),
              r.deadlineS(),
              r.finishedS() <= r.deadlineS() ? "yes" : "NO",
              r.workerSeconds()));
    }
    return rows;
  }

  private Result run(String setup, List<String> fleetArgs, boolean autoscaled, boolean warmUp)
      throws Exception {
    Path data = Files.createTempDirectory("spotbatch-bench-autoscale");
    List<String> args = new ArrayList<>();
    args.add("--server.port=0");
    args.add("--spotbatch.data-dir=" + data);
    args.add("--spotbatch.embedded.sqs.port=" + freePort());
    args.add("--spotbatch.fleet.local.supervise-interval=1s");
    args.add(
        "--spotbatch.fleet.local.worker-args=--spotbatch.worker.max-records-per-second=" + maxRps);
    args.add(
        "--spotbatch.fleet.local.worker-jar="
            + Path.of("worker/target/spotbatch-worker-0.1.0-SNAPSHOT-exec.jar").toAbsolutePath());
    args.add(
        "--spotbatch.fleet.local.class-data-dir="
            + Path.of("e2e/target/worker-cds").toAbsolutePath());
    args.addAll(fleetArgs);
    ConfigurableApplicationContext ctx =
        new SpringApplicationBuilder(DispatcherApplication.class)
            .profiles("local")
            .run(args.toArray(String[]::new));
    try {
      String api =
          "http://127.0.0.1:" + ctx.getEnvironment().getProperty("local.server.port") + "/api/v1";
      String token = Files.readString(data.resolve("api-token")).strip();
      Path input = data.resolve("in.jsonl");
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < records; i++) {
        lines.add(
            "{\"id\":\"r" + i + "\",\"text\":\"" + dev.spotbatch.e2e.Sentences.sentence(i) + "\"}");
      }
      Files.write(input, lines, StandardCharsets.UTF_8);
      if (warmUp) {
        Instant until = Instant.now().plusSeconds(300);
        while (Instant.now().isBefore(until)
            && !send(api, token, "/fleet", null).contains("\"state\":\"RUNNING\"")) {
          Thread.sleep(500);
        }
        return null;
      }
      Instant t0 = Instant.now();
      Instant deadline = t0.plus(deadlineIn);
      String body =
          "{\"name\":\"bench\",\"model\":\"all-minilm-l6-v2\",\"input\":{\"uri\":\""
              + input.toUri()
              + "\"},\"output\":{\"uri\":\""
              + data.resolve("out/").toUri()
              + "\"},\"itemBytes\":8192,\"deadline\":\""
              + deadline
              + "\"}";
      String jobId = JSON.readTree(send(api, token, "/jobs", body)).get("id").asString();
      Double firstReady = null;
      Double desiredReached = null;
      int desiredMax = 0;
      Double finished = null;
      Instant end = null;
      JsonNode fleet = null;
      while (Duration.between(t0, Instant.now()).compareTo(deadlineIn.multipliedBy(3)) < 0) {
        fleet = JSON.readTree(send(api, token, "/fleet", null));
        double t = Duration.between(t0, Instant.now()).toMillis() / 1000.0;
        int desired = fleet.get("desired").asInt();
        int ready = 0;
        for (JsonNode w : fleet.get("workers")) {
          if ("RUNNING".equals(w.get("state").asString()) && !w.get("activeLeases").isNull()) {
            ready++;
          }
        }
        if (firstReady == null && ready > 0) {
          firstReady = t;
        }
        if (desired > desiredMax) {
          desiredReached = null; // a higher count to reach
        }
        desiredMax = Math.max(desiredMax, desired);
        if (desiredReached == null && desired > 0 && ready >= desiredMax) {
          desiredReached = t;
        }
        if (finished == null) {
          JsonNode job = JSON.readTree(send(api, token, "/jobs/" + jobId, null));
          if (!List.of("PENDING", "RUNNING").contains(job.get("status").asString())) {
            finished = t;
            end = Instant.now();
            if (!autoscaled) {
              break;
            }
          }
        } else if (desired == 0 && fleet.get("actual").asInt() == 0) {
          break;
        }
        Thread.sleep(250);
      }
      Instant until = autoscaled ? Instant.now() : end;
      return new Result(
          setup,
          orNaN(firstReady),
          orNaN(desiredReached),
          desiredMax,
          orNaN(finished),
          deadlineIn.toMillis() / 1000.0,
          workerSeconds(fleet, until));
    } finally {
      ctx.close();
    }
  }

  /** Every machine of every worker, from its start to its exit (or {@code until}). */
  private static double workerSeconds(JsonNode fleet, Instant until) {
    double total = 0;
    for (JsonNode w : fleet.get("workers")) {
      java.util.Set<Integer> ended = new java.util.HashSet<>();
      for (JsonNode past : w.get("history")) {
        ended.add(past.get("generation").asInt());
        total += seconds(past.get("startedAt"), past.get("exitedAt"), until);
      }
      // the current machine, still running or told to stop but not yet gone
      if (!w.get("startedAt").isNull() && !ended.contains(w.get("generation").asInt())) {
        total += seconds(w.get("startedAt"), null, until);
      }
    }
    return total;
  }

  private static double seconds(JsonNode start, JsonNode end, Instant until) {
    Instant s = Instant.parse(start.asString());
    Instant e = end == null || end.isNull() ? until : Instant.parse(end.asString());
    if (e.isAfter(until)) {
      e = until;
    }
    return Math.max(0, Duration.between(s, e).toMillis() / 1000.0);
  }

  private static double orNaN(Double d) {
    return d == null ? Double.NaN : d;
  }

  private String send(String api, String token, String path, String json) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(api + path)).header("Authorization", "Bearer " + token);
    if (json != null) {
      b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() >= 300) {
      throw new IllegalStateException(path + ": " + r.statusCode() + " " + r.body());
    }
    return r.body();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
