package dev.spotbatch.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.spotbatch.dispatcher.api.FleetController;
import dev.spotbatch.dispatcher.api.ProblemHandler;
import dev.spotbatch.dispatcher.fleet.CapacityProvider;
import dev.spotbatch.dispatcher.fleet.DrainReports;
import dev.spotbatch.dispatcher.fleet.autoscale.AutoscalerLoop;
import dev.spotbatch.dispatcher.fleet.local.LocalProcessFleet;
import dev.spotbatch.event.DrainReport;
import dev.spotbatch.event.WorkerStopped;
import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.NoticeKind;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

/**
 * The fleet endpoints (the dispatcher's listing and the local interrupt endpoint) on a local fleet
 * of real (sleeping) child processes, without Spring Boot.
 */
class LocalFleetControllerTest {
  @TempDir Path dir;
  LocalProcessFleet fleet;
  final DrainReports drains = new DrainReports();
  final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void tearDown() {
    if (fleet != null) {
      fleet.close();
    }
  }

  MockMvc mvc() throws Exception {
    Path jar = dir.resolve("worker.jar");
    Files.writeString(jar, "not a jar");
    fleet =
        new LocalProcessFleet(
            new LocalProcessFleet.Options(
                Path.of("/opt/java"),
                jar,
                "http://127.0.0.1:9324",
                dir,
                Duration.ofSeconds(2),
                List.of()),
            (command, env, log) -> new ProcessBuilder("sleep", "60").start(),
            Clock.systemUTC(),
            port -> CompletableFuture.completedFuture(Optional.empty()),
            LocalProcessFleet::freePortNow);
    fleet.setDesired(2);
    DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
    beans.registerSingleton("fleet", fleet);
    beans.registerSingleton("drains", drains);
    FleetController listing =
        new FleetController(
            beans.getBeanProvider(CapacityProvider.class),
            beans.getBeanProvider(DrainReports.class),
            beans.getBeanProvider(AutoscalerLoop.class));
    return MockMvcBuilders.standaloneSetup(listing, new LocalFleetController(fleet))
        .setControllerAdvice(new ProblemHandler())
        .build();
  }

  @Test
  void listsWorkersWithInstanceFactsEndpointsAndTheirLastDrain() throws Exception {
    MockMvc mvc = mvc();
    DrainReport report =
        new DrainReport(
            NoticeKind.AWS_SPOT_INTERRUPTION,
            "n-1",
            Instant.parse("2026-01-01T00:00:00Z"),
            Instant.parse("2026-01-01T00:00:01Z"),
            Instant.parse("2026-01-01T00:02:00Z"),
            null,
            1,
            2,
            1,
            0,
            Instant.parse("2026-01-01T00:00:30Z"));
    drains.apply(
        new WorkerStopped(
            "e-1",
            "local-2",
            InstanceFacts.local("i-local-2-0"),
            report,
            Instant.parse("2026-01-01T00:00:30Z")));

    mvc.perform(get("/api/v1/fleet"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.provider").value("local"))
        .andExpect(jsonPath("$.desired").value(2))
        .andExpect(jsonPath("$.actual").value(2))
        .andExpect(jsonPath("$.workers[0].id").value("local-1"))
        .andExpect(jsonPath("$.workers[0].state").value("STARTING"))
        .andExpect(jsonPath("$.workers[0].pid").isNumber())
        .andExpect(jsonPath("$.workers[0].instance.instanceId").value("i-local-1-1"))
        .andExpect(jsonPath("$.workers[0].instance.lifecycle").value("SPOT"))
        .andExpect(jsonPath("$.workers[0].instance.zone").value("local-1a"))
        .andExpect(
            jsonPath("$.workers[0].metadataEndpoint").value(containsString("http://127.0.0.1:")))
        .andExpect(jsonPath("$.workers[0].managementPort").isNumber())
        .andExpect(jsonPath("$.workers[0].leases").isArray())
        .andExpect(jsonPath("$.workers[0].lastDrain").isEmpty())
        .andExpect(jsonPath("$.workers[0].restarts").value(0))
        .andExpect(jsonPath("$.workers[1].lastDrain.checkpointed").value(1))
        .andExpect(jsonPath("$.workers[1].lastDrain.kind").value("AWS_SPOT_INTERRUPTION"))
        .andExpect(jsonPath("$.interruptions.spot").value(0))
        .andExpect(jsonPath("$.interruptions.sigterm").value(0));
  }

  @Test
  void aSpotInterruptionIsAcceptedAnnouncedAndEnforced() throws Exception {
    MockMvc mvc = mvc();
    String endpoint = fleet.workers().get(0).machine().metadataEndpoint();

    mvc.perform(
            post("/api/v1/fleet/workers/local-1/interrupt")
                .param("kind", "spot")
                .param("deadlineSeconds", "2"))
        .andExpect(status().isAccepted())
        .andExpect(jsonPath("$.workerId").value("local-1"))
        .andExpect(jsonPath("$.kind").value("spot"))
        .andExpect(jsonPath("$.deadline").isString());
    HttpResponse<String> action = imds(endpoint, "/latest/meta-data/spot/instance-action");
    assertThat(action.statusCode()).isEqualTo(200);
    assertThat(action.body()).contains("terminate");
    mvc.perform(post("/api/v1/fleet/workers/local-1/interrupt").param("kind", "kill"))
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.detail").value(containsString("already interrupted")));
    mvc.perform(get("/api/v1/fleet"))
        .andExpect(jsonPath("$.workers[0].state").value("DRAINING"))
        .andExpect(jsonPath("$.workers[0].interruption.kind").value("SPOT"))
        .andExpect(jsonPath("$.interruptions.spot").value(1));

    // `sleep` does not drain: the fleet kills it at the deadline, as AWS would, and replaces it
    await().atMost(Duration.ofSeconds(10)).until(() -> !fleet.workers().get(0).history().isEmpty());
    mvc.perform(get("/api/v1/fleet"))
        .andExpect(jsonPath("$.workers[0].history[0].exitedBeforeDeadline").value(false))
        .andExpect(jsonPath("$.workers[0].history[0].killedAtDeadline").value(true))
        .andExpect(jsonPath("$.workers[0].history[0].instanceId").value("i-local-1-1"));
    await().atMost(Duration.ofSeconds(10)).until(() -> fleet.workers().get(0).generation() == 2);
    mvc.perform(get("/api/v1/fleet"))
        .andExpect(jsonPath("$.workers[0].instance.instanceId").value("i-local-1-2"))
        .andExpect(jsonPath("$.workers[0].restarts").value(1));
  }

  @Test
  void sigtermAndKillAreAccepted() throws Exception {
    MockMvc mvc = mvc();
    mvc.perform(post("/api/v1/fleet/workers/local-1/interrupt").param("kind", "SIGTERM"))
        .andExpect(status().isAccepted())
        .andExpect(jsonPath("$.kind").value("sigterm"));
    mvc.perform(post("/api/v1/fleet/workers/local-2/interrupt").param("kind", "kill"))
        .andExpect(status().isAccepted())
        .andExpect(jsonPath("$.deadline").isEmpty());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> fleet.workers().stream().allMatch(w -> !w.history().isEmpty()));
    mvc.perform(get("/api/v1/fleet"))
        .andExpect(jsonPath("$.workers[0].history[0].exitCode").value(143))
        .andExpect(jsonPath("$.workers[0].history[0].exitedBeforeDeadline").value(true))
        .andExpect(jsonPath("$.workers[1].history[0].exitCode").value(137))
        .andExpect(jsonPath("$.interruptions.sigterm").value(1))
        .andExpect(jsonPath("$.interruptions.kill").value(1));
  }

  HttpResponse<String> imds(String endpoint, String path) throws Exception {
    String token =
        http.send(
                HttpRequest.newBuilder(URI.create(endpoint + "/latest/api/token"))
                    .header("X-aws-ec2-metadata-token-ttl-seconds", "60")
                    .PUT(HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return http.send(
        HttpRequest.newBuilder(URI.create(endpoint + path))
            .header("X-aws-ec2-metadata-token", token)
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
