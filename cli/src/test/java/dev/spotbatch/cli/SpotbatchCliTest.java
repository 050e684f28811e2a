package dev.spotbatch.cli;

import static dev.spotbatch.cli.ApiStub.json;
import static dev.spotbatch.cli.ApiStub.problem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Every command against an in-process server that answers like the dispatcher: what it sends, what
 * it prints (table and JSON) and its exit code.
 */
class SpotbatchCliTest {
  @TempDir Path dir;
  ApiStub api;
  CliRun cli;

  @BeforeEach
  void start() throws Exception {
    api = new ApiStub();
    cli = new CliRun(dir).url(api.url());
  }

  @AfterEach
  void stop() {
    api.close();
  }

  static String job(String id, String status, long total, long done, long records) {
    return "{\"id\":\""
        + id
        + "\",\"name\":\"docs\",\"status\":\""
        + status
        + "\",\"model\":\"all-minilm-l6-v2\",\"createdAt\":\"2026-12-01T10:00:00Z\","
        + "\"startedAt\":null,\"finishedAt\":null,"
        + "\"items\":{\"total\":"
        + total
        + ",\"pending\":"
        + (total - done)
        + ",\"running\":0,\"succeeded\":"
        + done
        + ",\"failed\":0},"
        + "\"records\":{\"succeeded\":"
        + records
        + ",\"failed\":0},"
        + "\"output\":{\"uri\":\"file:///d/out/\",\"manifest\":"
        + ("SUCCEEDED".equals(status) ? "\"file:///d/out/_SUCCESS\"" : "null")
        + ",\"format\":\"jsonl\"},\"cost\":{\"usd\":0.0012,\"onDemandUsd\":0.004,\"savingsPct\":70.0},"
        + "\"reason\":"
        + ("FAILED".equals(status) ? "\"2 items failed for good\"" : "null")
        + "}";
  }

  static JsonNode parse(String s) {
    return ApiClient.JSON.readTree(s);
  }

  // ---- submit

  @Test
  void submitFromFlagsSendsTheJobWithLocalPathsAsFileUrisAndShowsIt() throws Exception {
    api.on("POST /api/v1/jobs", json(201, job("j1", "PENDING", 0, 0, 0)));

    CliRun.Result r =
        cli.run(
            "submit",
            "--name",
            "docs",
            "--input",
            "in/docs.jsonl",
            "--to",
            "out/docs",
            "--text-field",
            "body",
            "--item-bytes",
            "32768",
            "--max-attempts",
            "2",
            "--deadline",
            "2099-01-01T08:00:00Z",
            "--priority",
            "5");

    assertThat(r.exit()).as(r.toString()).isZero();
    JsonNode sent = parse(api.last().body());
    assertThat(sent.path("name").asString()).isEqualTo("docs");
    assertThat(sent.path("model").asString()).isEqualTo("all-minilm-l6-v2");
    assertThat(sent.path("input").path("uri").asString())
        .isEqualTo(dir.resolve("in/docs.jsonl").toUri().toString());
    assertThat(sent.path("input").path("textField").asString()).isEqualTo("body");
    assertThat(sent.path("output").path("uri").asString())
        .startsWith("file:///")
        .endsWith("/out/docs/");
    assertThat(sent.path("itemBytes").asLong()).isEqualTo(32768);
    assertThat(sent.path("maxAttempts").asInt()).isEqualTo(2);
    assertThat(sent.path("deadline").asString()).isEqualTo("2099-01-01T08:00:00Z");
    assertThat(sent.path("priority").asInt()).isEqualTo(5);
    assertThat(sent.path("output").has("format")).isFalse(); // the dispatcher's default: jsonl
    assertThat(r.out()).contains("id:", "j1", "status:", "PENDING", "spotbatch watch j1");
  }

  @Test
  void submitNamesAModelLocationTheTaskChainAndItsOptionsAndShowsThem() throws Exception {
    String view =
        job("j4", "PENDING", 0, 0, 0)
            .replace(
                "\"model\":\"all-minilm-l6-v2\"",
                "\"model\":\"e5-small-v2-q\",\"modelUri\":\"file:///d/models/e5/\","
                    + "\"modelDigest\":\"sha256:abc\",\"tasks\":[\"clean\",\"chunk\",\"embed\"]");
    api.on("POST /api/v1/jobs", json(201, view));

    CliRun.Result r =
        cli.run(
            "submit",
            "--input",
            "s3://b/in/",
            "--to",
            "s3://b/out/",
            "--model-uri",
            "models/e5",
            "--model-input",
            "passage",
            "--tasks",
            "clean,chunk,embed",
            "--option",
            "chunk.maxTokens=256",
            "--option",
            "clean.html=true",
            "--option",
            "classify.labels.sport=a text about sport, e.g. 1.5 goals");

    assertThat(r.exit()).as(r.toString()).isZero();
    JsonNode sent = parse(api.last().body());
    assertThat(sent.path("model").path("uri").asString())
        .isEqualTo(dir.resolve("models/e5").toUri().toString().replaceAll("/?$", "/"));
    assertThat(sent.path("model").path("input").asString()).isEqualTo("passage");
    assertThat(sent.path("model").has("name")).isFalse();
    assertThat(sent.path("tasks").toString()).isEqualTo("[\"clean\",\"chunk\",\"embed\"]");
    assertThat(sent.path("options").path("chunk").path("maxTokens").isNumber()).isTrue();
    assertThat(sent.path("options").path("chunk").path("maxTokens").asInt()).isEqualTo(256);
    assertThat(sent.path("options").path("clean").path("html").isBoolean()).isTrue();
    assertThat(sent.path("options").at("/classify/labels/sport").asString())
        .isEqualTo("a text about sport, e.g. 1.5 goals");
    assertThat(r.out())
        .contains("model uri:", "file:///d/models/e5/")
        .contains("model digest:", "sha256:abc")
        .contains("tasks:", "clean, chunk, embed");
  }

  @Test
  void aChainWithoutAModelTaskSendsNoModelAndBadOptionsAreUsageErrors() {
    api.on("POST /api/v1/jobs", json(201, job("j5", "PENDING", 0, 0, 0)));

    CliRun.Result r = cli.run("submit", "--text", "x", "--to", "s3://b/o/", "--tasks", "chunk");

    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(parse(api.last().body()).has("model")).isFalse();
    int calls = api.requests.size();
    assertThat(cli.run("submit", "--text", "x", "--option", "maxTokens").exit()).isEqualTo(2);
    assertThat(cli.run("submit", "--model", "m", "--model-uri", "s3://b/m/").exit()).isEqualTo(2);
    assertThat(api.requests).hasSize(calls);
  }

  @Test
  void submitFromAFileKeepsItsFieldsAndLetsFlagsOverrideThem() throws Exception {
    api.on("POST /api/v1/jobs", json(201, job("j2", "PENDING", 0, 0, 0)));
    Files.writeString(
        dir.resolve("job.json"),
        "{\"name\":\"from-file\",\"model\":\"other-model\",\"input\":{\"uri\":\"s3://b/in/\","
            + "\"idField\":\"key\"},\"output\":{\"uri\":\"s3://b/out/\"},\"maxAttempts\":5}");

    CliRun.Result r =
        cli.run(
            "submit", "--file", "job.json", "--name", "renamed", "--output-format", "npy", "-q");

    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("j2" + System.lineSeparator());
    JsonNode sent = parse(api.last().body());
    assertThat(sent.path("name").asString()).isEqualTo("renamed");
    assertThat(sent.path("output").path("uri").asString()).isEqualTo("s3://b/out/");
    assertThat(sent.path("output").path("format").asString()).isEqualTo("npy");
    assertThat(sent.path("model").asString()).isEqualTo("other-model");
    assertThat(sent.path("input").path("uri").asString()).isEqualTo("s3://b/in/");
    assertThat(sent.path("input").path("idField").asString()).isEqualTo("key");
    assertThat(sent.path("maxAttempts").asInt()).isEqualTo(5);
  }

  @Test
  void submitReadsTheJobFromStandardInputAndInlineTexts() {
    api.on("POST /api/v1/jobs", json(201, job("j3", "PENDING", 0, 0, 0)));
    cli.stdin = "{\"output\":{\"uri\":\"s3://b/out/\"}}";

    CliRun.Result r =
        cli.run("submit", "-f", "-", "--text", "A man is eating food.", "--text", "x");

    assertThat(r.exit()).as(r.toString()).isZero();
    JsonNode sent = parse(api.last().body());
    assertThat(sent.path("records").get(0).path("id").asString()).isEqualTo("1");
    assertThat(sent.path("records").get(0).path("text").asString())
        .isEqualTo("A man is eating food.");
    assertThat(sent.path("records").get(1).path("id").asString()).isEqualTo("2");
    assertThat(sent.path("output").path("uri").asString()).isEqualTo("s3://b/out/");
  }

  @Test
  void anInvalidJobShowsTheProblemAndEachFieldAndExits2() {
    api.on(
        "POST /api/v1/jobs",
        new ApiStub.Answer(
            400,
            "application/problem+json",
            "{\"type\":\"https://spotbatch.dev/problems/invalid-job\",\"title\":\"The job request"
                + " is invalid\",\"status\":400,\"detail\":\"2 problems\",\"errors\":["
                + "{\"field\":\"model\",\"message\":\"unknown model 'gpt'; known: all-minilm-l6-v2\"},"
                + "{\"field\":\"output.uri\",\"message\":\"output.uri is required\"}]}"));

    CliRun.Result r = cli.run("submit", "--model", "gpt");

    assertThat(r.exit()).isEqualTo(ExitCode.USAGE.code());
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .contains("The job request is invalid (400): 2 problems")
        .contains("- model: unknown model 'gpt'; known: all-minilm-l6-v2")
        .contains("- output.uri: output.uri is required");
  }

  @Test
  void aJobFileThatIsNotJsonIsAUsageError() throws Exception {
    Files.writeString(dir.resolve("bad.json"), "{\"name\": ");
    CliRun.Result r = cli.run("submit", "--file", "bad.json");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("bad.json is not valid JSON");
    assertThat(api.requests).isEmpty();
  }

  // ---- --wait and watch

  @Test
  void submitWaitShowsPlainProgressLinesWithRateAndEtaThenTheJob() {
    api.on("POST /api/v1/jobs", json(201, job("j4", "PENDING", 0, 0, 0)));
    api.on(
        "GET /api/v1/jobs/j4",
        json(200, job("j4", "RUNNING", 10, 0, 0)),
        json(200, job("j4", "RUNNING", 10, 2, 600)),
        json(200, job("j4", "RUNNING", 10, 2, 600)),
        json(200, job("j4", "RUNNING", 10, 6, 1800)),
        json(200, job("j4", "SUCCEEDED", 10, 10, 3000)));

    CliRun.Result r =
        cli.run("submit", "--text", "x", "--to", "s3://b/o/", "--wait", "--poll", "2");

    assertThat(r.exit()).as(r.toString()).isZero();
    String[] lines = r.err().split("\\R");
    // one line per change: the repeated view prints nothing
    assertThat(lines)
        .containsExactly(
            "Submitted job j4",
            "[..............................]   0%  0/10 items  0 records  -- rec/s  ETA --  RUNNING",
            "[######........................]  20%  2/10 items  600 records  300 rec/s  ETA 0:08  RUNNING",
            "[##################............]  60%  6/10 items  1,800 records  300 rec/s  ETA 0:04  RUNNING",
            "[##############################] 100%  10/10 items  3,000 records  375 rec/s  SUCCEEDED");
    assertThat(r.err()).doesNotContain("\r");
    assertThat(r.out())
        .contains("status:", "SUCCEEDED", "3,000 succeeded", "file:///d/out/_SUCCESS");
  }

  @Test
  void onATerminalTheProgressLineIsRedrawnInPlace() {
    cli.tty = true;
    api.on(
        "GET /api/v1/jobs/j5",
        json(200, job("j5", "RUNNING", 4, 1, 10)),
        json(200, job("j5", "SUCCEEDED", 4, 4, 40)));

    CliRun.Result r = cli.run("watch", "j5");

    assertThat(r.exit()).isZero();
    assertThat(r.err()).startsWith("\r[").contains("\u001b[K\r[").endsWith(System.lineSeparator());
    assertThat(r.err().chars().filter(c -> c == '\n').count()).isEqualTo(1);
  }

  @Test
  void watchExits1WhenTheJobFailsAndShowsTheReason() {
    api.on("GET /api/v1/jobs/j6", json(200, job("j6", "FAILED", 3, 3, 10)));
    CliRun.Result r = cli.run("watch", "j6");
    assertThat(r.exit()).isEqualTo(ExitCode.JOB_UNSUCCESSFUL.code());
    assertThat(r.out()).contains("FAILED", "reason:", "2 items failed for good");
  }

  @Test
  void waitExits1WhenTheJobIsCancelledAndPrintsJsonForScripts() {
    api.on("POST /api/v1/jobs", json(201, job("j7", "PENDING", 0, 0, 0)));
    api.on("GET /api/v1/jobs/j7", json(200, job("j7", "CANCELLED", 3, 1, 10)));

    CliRun.Result r = cli.run("submit", "--text", "x", "--to", "s3://b/o/", "--wait", "-o", "json");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(parse(r.out()).path("status").asString()).isEqualTo("CANCELLED");
    assertThat(r.err()).doesNotContain("Submitted job");
  }

  @Test
  void theServersEtaWinsOverTheMeasuredOneAndQuietShowsNoProgress() {
    api.on(
        "GET /api/v1/jobs/j8",
        json(
            200,
            job("j8", "RUNNING", 10, 5, 50)
                .replace("\"reason\":null", "\"reason\":null,\"eta\":\"2026-12-01T11:00:00Z\"")),
        json(200, job("j8", "SUCCEEDED", 10, 10, 100)));

    CliRun.Result r = cli.run("watch", "j8");
    assertThat(r.err()).contains("5/10 items  50 records  -- rec/s  ETA 1:00:00  RUNNING");

    CliRun.Result quiet = cli.run("watch", "j8", "-q");
    assertThat(quiet.exit()).isZero();
    assertThat(quiet.err()).isEmpty();
    assertThat(quiet.out()).contains("SUCCEEDED");
  }

  // ---- status, list

  @Test
  void statusShowsTheJobAsTableOrJsonOrOneField() {
    api.on("GET /api/v1/jobs/j9", json(200, job("j9", "SUCCEEDED", 2, 2, 20)));

    CliRun.Result table = cli.run("status", "j9");
    assertThat(table.exit()).isZero();
    assertThat(table.out())
        .contains("status:   SUCCEEDED")
        .contains("items:    2: 2 succeeded, 0 failed, 0 running, 0 pending")
        .contains("records:  20 succeeded, 0 failed")
        .contains("output:   file:///d/out/ (jsonl)")
        .contains("manifest: file:///d/out/_SUCCESS")
        .contains("cost:     $0.001200 (on demand $0.004000, saved 70.0%)");

    CliRun.Result asJson = cli.run("status", "j9", "--output", "json");
    assertThat(parse(asJson.out()).path("items").path("total").asLong()).isEqualTo(2);

    assertThat(cli.run("status", "j9", "--field", "output.manifest").out().strip())
        .isEqualTo("file:///d/out/_SUCCESS");
    assertThat(cli.run("status", "j9", "--field", "records.succeeded").out().strip())
        .isEqualTo("20");
    CliRun.Result noSuchField = cli.run("status", "j9", "--field", "colour");
    assertThat(noSuchField.exit()).isEqualTo(2);
    assertThat(noSuchField.err()).contains("no field 'colour'");
  }

  @Test
  void anUnknownJobExits3WithTheServersDetail() {
    api.on(
        "GET /api/v1/jobs/ghost",
        problem(404, "No such job", "no job has id 'ghost'; list jobs with GET /api/v1/jobs"));
    CliRun.Result r = cli.run("status", "ghost");
    assertThat(r.exit()).isEqualTo(ExitCode.NOT_FOUND.code());
    assertThat(r.err())
        .isEqualTo(
            "spotbatch: No such job (404): no job has id 'ghost'; list jobs with GET /api/v1/jobs"
                + System.lineSeparator());
  }

  @Test
  void jobIdsAreEncodedInThePath() {
    cli.run("status", "a b/c");
    assertThat(api.last().uri()).isEqualTo("/api/v1/jobs/a%20b%2Fc");
  }

  @Test
  void listShowsATableAndPassesTheFilter() {
    api.on(
        "GET /api/v1/jobs",
        json(
            200,
            "{\"jobs\":["
                + job("j2", "RUNNING", 10, 4, 400)
                + ","
                + job("j1", "SUCCEEDED", 3, 3, 30)
                + "]}"));

    CliRun.Result r = cli.run("list", "--status", "running", "--limit", "5");

    assertThat(r.exit()).isZero();
    assertThat(api.last().uri()).isEqualTo("/api/v1/jobs?limit=5&status=running");
    String[] lines = r.out().split("\\R");
    assertThat(lines[0]).startsWith("ID  STATUS     ITEMS  RECORDS  FAILED  CREATED");
    assertThat(lines[1]).startsWith("j2  RUNNING    4/10   400");
    assertThat(lines[2]).startsWith("j1  SUCCEEDED  3/3    30");
  }

  @Test
  void anEmptyListSaysSo() {
    api.on("GET /api/v1/jobs", json(200, "{\"jobs\":[]}"));
    assertThat(cli.run("list").out()).contains("no jobs");
    assertThat(parse(cli.run("list", "-o", "json").out()).path("jobs").isArray()).isTrue();
  }

  // ---- cancel, retry, failures

  @Test
  void cancelShowsTheCancelledJobAndExits6WhenItHasEnded() {
    api.on("POST /api/v1/jobs/j1/cancel", json(200, job("j1", "CANCELLED", 3, 1, 10)));
    CliRun.Result ok = cli.run("cancel", "j1");
    assertThat(ok.exit()).isZero();
    assertThat(ok.out()).contains("CANCELLED");

    api.on(
        "POST /api/v1/jobs/j2/cancel",
        problem(
            409,
            "The job is not in a state that allows this",
            "job j2 is already SUCCEEDED and cannot be cancelled; only PENDING or RUNNING jobs can"));
    CliRun.Result done = cli.run("cancel", "j2");
    assertThat(done.exit()).isEqualTo(ExitCode.CONFLICT.code());
    assertThat(done.err()).contains("already SUCCEEDED");
  }

  @Test
  void retryRerunsAFailedJobAndCanWaitForIt() {
    api.on("POST /api/v1/jobs/j1/retry", json(200, job("j1", "RUNNING", 3, 2, 20)));
    api.on("GET /api/v1/jobs/j1", json(200, job("j1", "SUCCEEDED", 3, 3, 30)));
    assertThat(cli.run("retry", "j1").out()).contains("RUNNING");
    CliRun.Result waited = cli.run("retry", "j1", "--wait");
    assertThat(waited.exit()).isZero();
    assertThat(waited.out()).contains("SUCCEEDED");
  }

  @Test
  void failuresListReasonsAndAttempts() {
    api.on(
        "GET /api/v1/jobs/j1/failures",
        json(
            200,
            "{\"jobId\":\"j1\",\"failures\":[{\"itemId\":\"j1-000003\",\"reason\":\"input"
                + " unreadable: gone\",\"attempts\":3,\"terminal\":true,\"workerId\":\"local-1\","
                + "\"at\":\"2026-12-01T10:05:00Z\"}]}"));
    api.on("GET /api/v1/jobs/j2/failures", json(200, "{\"jobId\":\"j2\",\"failures\":[]}"));

    CliRun.Result r = cli.run("failures", "j1");
    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .contains("ITEM       ATTEMPTS  FINAL  WORKER   AT                    REASON")
        .contains(
            "j1-000003  3         yes    local-1  2026-12-01T10:05:00Z  input unreadable: gone");
    assertThat(cli.run("failures", "j2").out()).contains("no failures recorded for job j2");
  }

  // ---- fleet, cost, estimate

  @Test
  void fleetShowsWorkersWithInstanceFactsLeasesAndTheLastDrain() {
    api.on(
        "GET /api/v1/fleet",
        json(
            200,
            "{\"provider\":\"LocalProcessFleet\",\"desired\":2,\"actual\":1,\"workers\":["
                + "{\"id\":\"local-1\",\"state\":\"RUNNING\",\"pid\":4242,\"instance\":"
                + "{\"provider\":\"aws\",\"instanceId\":\"i-1\",\"instanceType\":\"m5.large\","
                + "\"region\":\"us-east-1\",\"zone\":\"us-east-1a\",\"lifecycle\":\"SPOT\"},"
                + "\"activeLeases\":2,\"lastDrain\":{\"kind\":\"SPOT\",\"handedBack\":3,"
                + "\"finished\":1,\"checkpointed\":1,\"abandoned\":0}},"
                + "{\"id\":\"local-2\",\"state\":\"STOPPED\",\"pid\":null,\"instance\":null,"
                + "\"activeLeases\":null,\"lastDrain\":null}],"
                + "\"interruptions\":{\"spot\":1,\"kill\":0}}"));

    CliRun.Result r = cli.run("fleet");

    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .contains("provider: LocalProcessFleet   desired: 2   actual: 1")
        .contains("interruptions: spot 1, kill 0")
        .contains(
            "local-1  RUNNING  4242  m5.large  SPOT       us-east-1a  2       SPOT: 3 handed back,"
                + " 1 finished, 1 checkpointed, 0 abandoned")
        .contains("local-2  STOPPED  -     -         -          -           -       -");
  }

  @Test
  void costAndEstimateSayClearlyWhenTheServerLacksThem() {
    api.on(
        "POST /api/v1/estimates",
        problem(405, "Method Not Allowed", "Method 'POST' is not supported."));

    CliRun.Result cost = cli.run("cost");
    assertThat(cost.exit()).isEqualTo(ExitCode.NOT_FOUND.code());
    assertThat(cost.err())
        .contains("does not offer GET /api/v1/cost")
        .contains("Not Found (404): No static resource api/v1/cost.")
        .contains("newer dispatcher");

    CliRun.Result estimate = cli.run("estimate", "--records", "1000000", "--rps", "600");
    assertThat(estimate.exit()).isEqualTo(3);
    assertThat(estimate.err()).contains("does not offer POST /api/v1/estimates");
  }

  @Test
  void costShowsTotalsAndPools() {
    api.on(
        "GET /api/v1/cost",
        json(
            200,
            "{\"from\":\"2026-12-01T00:00:00Z\",\"to\":\"2026-12-02T00:00:00Z\",\"total\":{"
                + "\"usd\":1.25,\"onDemandUsd\":4.1,\"savingsPct\":69.5},\"pools\":["
                + "{\"pool\":\"aws/m5.large/us-east-1a/spot\",\"usd\":1.25,\"machineHours\":37.2}]}"));

    CliRun.Result r = cli.run("cost", "--from", "2026-12-01T00:00:00Z");

    assertThat(r.exit()).isZero();
    assertThat(api.last().uri()).isEqualTo("/api/v1/cost?from=2026-12-01T00%3A00%3A00Z");
    assertThat(r.out())
        .contains("from: 2026-12-01T00:00:00Z")
        .contains("total:\n  usd:         1.25".replace("\n", System.lineSeparator()))
        .contains("savingsPct:  69.5")
        .contains("pool                          usd   machineHours")
        .contains("aws/m5.large/us-east-1a/spot  1.25  37.2");
  }

  @Test
  void estimateSendsTheQuestionAndShowsTheOptions() {
    api.on(
        "POST /api/v1/estimates",
        json(
            200,
            "{\"options\":[{\"strategy\":\"on-demand\",\"usd\":12.5,\"makespanHours\":4.6},"
                + "{\"strategy\":\"spot\",\"usd\":4.2,\"makespanHours\":5.1}],"
                + "\"recommendation\":\"spot\",\"assumptions\":{\"interruptionsPerHour\":0.05}}"));

    CliRun.Result r =
        cli.run(
            "estimate",
            "--records",
            "10000000",
            "--rps",
            "600",
            "--instance-type",
            "m5.large",
            "--region",
            "eu-west-1",
            "--workers",
            "4");

    assertThat(r.exit()).as(r.toString()).isZero();
    JsonNode sent = parse(api.last().body());
    assertThat(sent.path("records").asLong()).isEqualTo(10_000_000L);
    assertThat(sent.path("recordsPerSecondPerWorker").asDouble()).isEqualTo(600.0);
    assertThat(sent.path("instanceType").asString()).isEqualTo("m5.large");
    assertThat(sent.path("workers").asInt()).isEqualTo(4);
    assertThat(sent.has("deadline")).isFalse();
    assertThat(r.out())
        .contains("recommendation: spot")
        .contains("on-demand  12.5  4.6")
        .contains("spot       4.2   5.1");
  }

  // ---- connection, authentication, usage

  @Test
  void anUnreachableServerExits4AndSaysWhereItLooked() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    CliRun.Result r = cli.run("--url", "http://127.0.0.1:" + port, "list");
    assertThat(r.exit()).isEqualTo(ExitCode.UNREACHABLE.code());
    assertThat(r.err()).contains("cannot reach the dispatcher at http://127.0.0.1:" + port);
  }

  @Test
  void anUnavailableServerExits4AndAServerErrorExits7() {
    api.on(
        "GET /api/v1/jobs/a",
        problem(503, "Storage or queue unavailable", "queue down; try again shortly"));
    api.on("GET /api/v1/jobs/b", new ApiStub.Answer(500, "text/html", "<html>boom</html>"));
    CliRun.Result unavailable = cli.run("status", "a");
    assertThat(unavailable.exit()).isEqualTo(4);
    assertThat(unavailable.err()).contains("queue down; try again shortly");
    CliRun.Result broken = cli.run("status", "b");
    assertThat(broken.exit()).isEqualTo(7);
    assertThat(broken.err()).contains("GET /api/v1/jobs/b failed (500): <html>boom</html>");
  }

  @Test
  void theTokenComesFromTheOptionElseTheEnvironmentElseTheDataDirectory() throws Exception {
    api.on("GET /api/v1/fleet", json(200, "{\"provider\":\"none\",\"workers\":[]}"));

    cli.run("fleet");
    assertThat(api.last().authorization()).isNull();

    Files.createDirectories(dir.resolve(".spotbatch"));
    Files.writeString(dir.resolve(".spotbatch/api-token"), "from-file\n");
    cli.run("fleet");
    assertThat(api.last().authorization()).isEqualTo("Bearer from-file");

    Files.createDirectories(dir.resolve("elsewhere"));
    Files.writeString(dir.resolve("elsewhere/api-token"), "other-file");
    cli.run("fleet", "--data-dir", "elsewhere");
    assertThat(api.last().authorization()).isEqualTo("Bearer other-file");

    cli.env.put("SPOTBATCH_API_TOKEN", "from-env");
    cli.run("fleet");
    assertThat(api.last().authorization()).isEqualTo("Bearer from-env");

    cli.run("--token", "from-option", "fleet");
    assertThat(api.last().authorization()).isEqualTo("Bearer from-option");
  }

  @Test
  void aRefusedTokenExits5AndNamesWhereTheTokenCameFromButNeverTheToken() {
    api.on("GET /api/v1/jobs", problem(401, "Unauthorized", "a valid bearer token is required"));

    CliRun.Result none = cli.run("list");
    assertThat(none.exit()).isEqualTo(ExitCode.AUTH.code());
    assertThat(none.err()).contains("no token was sent", "SPOTBATCH_API_TOKEN", "api-token");

    cli.env.put("SPOTBATCH_API_TOKEN", "s3cret-value");
    CliRun.Result refused = cli.run("list");
    assertThat(refused.exit()).isEqualTo(5);
    assertThat(refused.err())
        .contains("the token from SPOTBATCH_API_TOKEN was refused")
        .doesNotContain("s3cret-value");

    api.on("GET /api/v1/fleet", problem(403, "Forbidden", "needs the operator role"));
    assertThat(cli.run("fleet").exit()).isEqualTo(5);
  }

  @Test
  void usageErrorsExit2WithoutCallingTheServer() {
    assertThat(cli.run("status").exit()).isEqualTo(2);
    assertThat(cli.run("frobnicate").exit()).isEqualTo(2);
    assertThat(cli.run("list", "--output", "yaml").exit()).isEqualTo(2);
    assertThat(cli.run("estimate", "--records", "5").exit()).isEqualTo(2);
    CliRun.Result badUrl = cli.run("--url", "localhost:8080", "list");
    assertThat(badUrl.exit()).isEqualTo(2);
    assertThat(badUrl.err()).contains("must look like http://host:port");
    assertThat(cli.run("watch", "j1", "--poll", "0").exit()).isEqualTo(2);
    assertThat(cli.run().exit()).isEqualTo(2);
    assertThat(api.requests).isEmpty();
  }

  @Test
  void helpListsTheCommandsAndTheExitCodes() {
    CliRun.Result r = cli.run("--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .contains("submit", "status", "list", "watch", "cancel", "retry", "failures", "fleet")
        .contains("cost", "estimate", "Exit codes:", "SPOTBATCH_URL", "SPOTBATCH_API_TOKEN");
    for (ExitCode c : ExitCode.values()) {
      assertThat(r.out()).contains(c.meaning());
    }
  }

  @Test
  void theUrlComesFromTheOptionBeforeTheEnvironment() {
    api.on("GET /api/v1/jobs", json(200, "{\"jobs\":[]}"));
    cli.env.put("SPOTBATCH_URL", "http://127.0.0.1:1");
    assertThat(cli.run("list", "--url", api.url() + "/").exit()).isZero();
  }
}
