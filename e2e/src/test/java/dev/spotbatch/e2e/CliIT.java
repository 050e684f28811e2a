package dev.spotbatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.spotbatch.cli.CliEnv;
import dev.spotbatch.cli.SpotbatchCli;
import dev.spotbatch.dispatcher.DispatcherApplication;
import dev.spotbatch.dispatcher.cost.CostStore;
import dev.spotbatch.dispatcher.cost.MachineSession;
import dev.spotbatch.dispatcher.cost.PriceBook;
import dev.spotbatch.dispatcher.cost.SessionEnd;
import dev.spotbatch.dispatcher.cost.WasteKind;
import dev.spotbatch.dispatcher.job.JobStore;
import dev.spotbatch.dispatcher.job.UsageRow;
import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.Lifecycle;
import dev.spotbatch.queue.memory.InMemoryEventQueue;
import dev.spotbatch.queue.memory.InMemoryWorkQueue;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The command-line client against the real dispatcher in this process (in-memory queues, H2, no
 * workers): the client and the API agree on paths, shapes, problems and so on exit codes.
 */
class CliIT {
  static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir static Path dataDir;
  static ConfigurableApplicationContext dispatcher;
  static String url;

  @BeforeAll
  static void startDispatcher() {
    // the production dispatcher has no in-memory queues: common's test-jar brings them
    ApplicationContextInitializer<GenericApplicationContext> memoryQueues =
        ctx -> {
          ctx.registerBean(InMemoryWorkQueue.class, InMemoryWorkQueue::new);
          ctx.registerBean(InMemoryEventQueue.class, InMemoryEventQueue::new);
        };
    dispatcher =
        new SpringApplicationBuilder(DispatcherApplication.class)
            .initializers(memoryQueues)
            .run(
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--spotbatch.data-dir=" + dataDir,
                "--spotbatch.queue.type=memory",
                "--spring.datasource.url=jdbc:h2:mem:cli-it;DB_CLOSE_DELAY=-1",
                "--spring.cloud.aws.region.static=us-east-1",
                "--spring.cloud.aws.credentials.access-key=test",
                "--spring.cloud.aws.credentials.secret-key=test",
                "--spring.cloud.aws.s3.enabled=false",
                // the embedded default's token file: the client finds it in the data directory
                "--spotbatch.security.local-token=true");
    url = "http://127.0.0.1:" + dispatcher.getEnvironment().getProperty("local.server.port");
  }

  @AfterAll
  static void stop() {
    if (dispatcher != null) {
      dispatcher.close();
    }
  }

  record Result(int exit, String out, String err) {}

  static Result cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CliEnv env =
        new CliEnv(
            Map.of("SPOTBATCH_URL", url),
            dataDir,
            new ByteArrayInputStream(new byte[0]),
            new PrintWriter(out),
            new PrintWriter(err),
            false,
            Clock.systemUTC(),
            d -> Thread.sleep(d.toMillis()));
    // as run-local.sh does: --data-dir names where the dispatcher keeps api-token
    String[] withDataDir = new String[args.length + 2];
    withDataDir[0] = "--data-dir";
    withDataDir[1] = dataDir.toString();
    System.arraycopy(args, 0, withDataDir, 2, args.length);
    int exit = SpotbatchCli.run(env, withDataDir);
    return new Result(exit, out.toString(), err.toString());
  }

  @Test
  void aJobWithNoRecordsSucceedsAndWaitShowsItsManifest() throws Exception {
    Files.writeString(
        dataDir.resolve("empty.json"),
        "{\"name\":\"empty\",\"records\":[],\"output\":{\"uri\":\""
            + dataDir.resolve("out/empty").toUri()
            + "\"}}");

    Result r = cli("submit", "--file", "empty.json", "--wait", "--poll", "0.1");

    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).contains("status:", "SUCCEEDED", "_SUCCESS");
    assertThat(r.err()).contains("Submitted job", "SUCCEEDED");

    Result json = cli("list", "--status", "succeeded", "-o", "json");
    assertThat(json.exit()).isZero();
    JsonNode jobs = JSON.readTree(json.out()).path("jobs");
    assertThat(jobs.isEmpty()).isFalse();
    assertThat(jobs.get(0).path("status").asString()).isEqualTo("SUCCEEDED");
  }

  @Test
  void aMissingInputFailsTheJobAndRetryAndCancelFollowTheApisRules() throws Exception {
    Result submitted = cli("submit", "--input", "in/later.jsonl", "--to", "out/later", "-q");
    assertThat(submitted.exit()).as(submitted.toString()).isZero();
    String id = submitted.out().strip();

    Result waited = cli("watch", id, "--poll", "0.1");
    assertThat(waited.exit()).as(waited.toString()).isEqualTo(1);
    assertThat(waited.out()).contains("FAILED", "reason:", "does not exist");
    assertThat(cli("failures", id).exit()).isZero();
    assertThat(cli("status", id, "--field", "status").out().strip()).isEqualTo("FAILED");

    Files.createDirectories(dataDir.resolve("in"));
    Files.writeString(dataDir.resolve("in/later.jsonl"), "{\"id\":\"a\",\"text\":\"x\"}\n");
    Result retried = cli("retry", id);
    assertThat(retried.exit()).as(retried.toString()).isZero();

    Result cancelled = cli("cancel", id);
    assertThat(cancelled.exit()).as(cancelled.toString()).isZero();
    assertThat(cancelled.out()).contains("CANCELLED");
    Result again = cli("cancel", id);
    assertThat(again.exit()).isEqualTo(6);
    assertThat(again.err()).contains("already CANCELLED");
    Result retryCancelled = cli("retry", id);
    assertThat(retryCancelled.exit()).isEqualTo(6);
    assertThat(retryCancelled.err()).contains("only FAILED jobs can be retried");
  }

  @Test
  void problemsBecomeMessagesAndExitCodes() {
    Result unknownModel = cli("submit", "--model", "gpt-4", "--text", "x", "--to", "out/x");
    assertThat(unknownModel.exit()).as(unknownModel.toString()).isEqualTo(2);
    assertThat(unknownModel.err()).contains("The job request is invalid (400)", "gpt-4");

    Result outside = cli("submit", "--text", "x", "--to", "/etc/spotbatch-out");
    assertThat(outside.exit()).isEqualTo(2);
    assertThat(outside.err()).contains("output.uri");

    Result ghost = cli("status", "ghost");
    assertThat(ghost.exit()).isEqualTo(3);
    assertThat(ghost.err()).contains("No such job (404)", "no job has id 'ghost'");

    Result wrongToken = cli("--token", "not-the-token", "list");
    assertThat(wrongToken.exit()).as(wrongToken.toString()).isEqualTo(5);
    assertThat(wrongToken.err()).contains("matches no API key").doesNotContain("not-the-token");

    Result badStatus = cli("list", "--status", "DONE");
    assertThat(badStatus.exit()).isEqualTo(2);
    assertThat(badStatus.err()).contains("unknown status 'DONE'");
  }

  @Test
  void fleetWorks() {
    Result fleet = cli("fleet");
    assertThat(fleet.exit()).as(fleet.toString()).isZero();
    assertThat(fleet.out()).contains("provider: none", "no workers");
  }

  @Test
  void estimateAnswersFromTheSimulatorAndSaysWhatIsMissing() {
    Result estimate =
        cli(
            "estimate",
            "--records",
            "5400000",
            "--rps",
            "150",
            "--instance-type",
            "p3.2xlarge",
            "--region",
            "us-east-1",
            "--workers",
            "10");
    assertThat(estimate.exit()).as(estimate.toString()).isZero();
    assertThat(estimate.out()).contains("on-demand", "spot", "recommendation");

    Result incomplete = cli("estimate", "--records", "1000", "--rps", "100");
    assertThat(incomplete.exit()).as(incomplete.toString()).isEqualTo(2);
    assertThat(incomplete.err()).contains("instanceType is required");
  }

  /**
   * The cost a job and the fleet show through the client follow from the machine time recorded: a
   * g5.xlarge spot machine ran 2 hours; one hour of it went to the job's item and half an hour to a
   * lease lost with a kill (wasted), the rest was idle.
   */
  @Test
  void costAndAJobsCostFollowFromTheMachineTimeRecorded() throws Exception {
    Files.writeString(
        dataDir.resolve("costly.json"),
        "{\"name\":\"costly\",\"records\":[{\"id\":\"a\",\"text\":\"x\"}],\"output\":{\"uri\":\""
            + dataDir.resolve("out/costly").toUri()
            + "\"}}");
    Result submitted = cli("submit", "--file", "costly.json", "--quiet");
    assertThat(submitted.exit()).as(submitted.toString()).isZero();
    String jobId = submitted.out().strip();
    InstanceFacts g5 =
        new InstanceFacts("aws", "i-cli-1", "g5.xlarge", "us-east-1", "us-east-1a", Lifecycle.SPOT);
    Instant t0 = Instant.parse("2026-11-30T10:00:00Z");
    dispatcher
        .getBean(CostStore.class)
        .upsertSession(
            new MachineSession(
                "i-cli-1", "w1", g5, null, t0, t0.plusSeconds(7200), SessionEnd.LOST, "kill"));
    JobStore jobs = dispatcher.getBean(JobStore.class);
    jobs.usage()
        .insertUsage(
            new UsageRow(
                "cli-e1", jobId, "item-1", "w1", g5, 3600, t0.plusSeconds(3600), 100, null));
    jobs.usage()
        .insertUsage(
            new UsageRow(
                "cli-e2",
                jobId,
                "item-1",
                "w1",
                g5,
                1800,
                t0.plusSeconds(5400),
                40,
                WasteKind.KILLED));
    PriceBook book = dispatcher.getBean(PriceBook.class);
    double spot = book.usdPerHour("aws", "us-east-1", "g5.xlarge", Lifecycle.SPOT).orElseThrow();
    double od = book.usdPerHour("aws", "us-east-1", "g5.xlarge", Lifecycle.ON_DEMAND).orElseThrow();

    Result status = cli("status", jobId, "-o", "json");
    assertThat(status.exit()).as(status.toString()).isZero();
    JsonNode cost = JSON.readTree(status.out()).path("cost");
    assertThat(cost.path("usd").asDouble()).isCloseTo(1.5 * spot, within(1e-6)).isPositive();
    assertThat(cost.path("onDemandUsd").asDouble()).isCloseTo(1.5 * od, within(1e-6));
    assertThat(cost.path("wastedUsd").asDouble()).isCloseTo(0.5 * spot, within(1e-6)).isPositive();
    assertThat(cost.path("machineHours").asDouble()).isCloseTo(1.5, within(1e-6));
    assertThat(cost.path("interruptions").asLong()).isEqualTo(1);
    assertThat(cost.path("savingsPct").asDouble()).isCloseTo(100 * (1 - spot / od), within(0.01));
    Result human = cli("status", jobId);
    assertThat(human.out()).contains("cost:", "on demand", "saved", "wasted");

    Result fleet =
        cli("cost", "--from", "2026-11-30T00:00:00Z", "--to", "2026-12-01T00:00:00Z", "-o", "json");
    assertThat(fleet.exit()).as(fleet.toString()).isZero();
    JsonNode total = JSON.readTree(fleet.out()).path("total");
    assertThat(total.path("usd").asDouble()).isCloseTo(2 * spot, within(1e-6));
    assertThat(total.path("machineHours").asDouble()).isCloseTo(2.0, within(1e-6));
    assertThat(total.path("idleHours").asDouble()).isCloseTo(0.5, within(1e-6));
    assertThat(total.path("interruptions").asLong()).isEqualTo(1);
    assertThat(total.path("wastedUsd").asDouble()).isCloseTo(0.5 * spot, within(1e-6));
    Result table = cli("cost", "--from", "2026-11-30T00:00:00Z", "--to", "2026-12-01T00:00:00Z");
    assertThat(table.out()).contains("aws/g5.xlarge/us-east-1a/spot", "monthlyProjectionUsd");
  }
}
