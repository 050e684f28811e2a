package dev.spotbatch.dispatcher.fleet.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.spotbatch.dispatcher.fleet.InterruptKind;
import dev.spotbatch.dispatcher.fleet.Pool;
import dev.spotbatch.dispatcher.fleet.WorkerState;
import dev.spotbatch.dispatcher.fleet.WorkerView;
import dev.spotbatch.dispatcher.fleet.local.LocalProcessFleetTest.FakeProcess;
import dev.spotbatch.model.Lifecycle;
import dev.spotbatch.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local fleet under the autoscaler: a spot and an on-demand pool of the configured simulated
 * type and zone, a count per pool, scale-in of named idle workers only, and a worker that left
 * after a notice not relaunched (its replacement came while it drained).
 */
class LocalFleetPoolsTest {
  @TempDir Path dir;
  final List<FakeProcess> launched = new CopyOnWriteArrayList<>();
  final Map<Integer, WorkerHealth> health = new ConcurrentHashMap<>();
  final AtomicInteger ports = new AtomicInteger(30000);
  final Clock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  LocalProcessFleet fleet;
  Pool spot;
  Pool onDemand;

  @BeforeEach
  void setUp() throws Exception {
    Path jar = dir.resolve("worker.jar");
    Files.writeString(jar, "not really a jar");
    fleet =
        new LocalProcessFleet(
            new LocalProcessFleet.Options(
                Path.of("/opt/java"),
                jar,
                "http://127.0.0.1:9324",
                dir.resolve("data"),
                Duration.ofSeconds(2),
                List.of(),
                Duration.ofMillis(500),
                3,
                Map.of(),
                List.of(),
                null,
                "p4d.24xlarge",
                "local-9b",
                FleetSizing.AUTOSCALED),
            (command, env, log) -> {
              FakeProcess p = new FakeProcess();
              launched.add(p);
              return p;
            },
            clock,
            port -> CompletableFuture.completedFuture(Optional.ofNullable(health.get(port))),
            ports::incrementAndGet);
    spot = fleet.pools().get(0);
    onDemand = fleet.pools().get(1);
  }

  @AfterEach
  void tearDown() {
    fleet.close();
    launched.forEach(FakeProcess::destroyForcibly);
  }

  WorkerView view(String id) {
    return fleet.workers().stream().filter(w -> w.id().equals(id)).findFirst().orElseThrow();
  }

  void healthOf(String id, int leases) {
    health.put(
        view(id).machine().managementPort(), new WorkerHealth("UP", leases, List.of(), false));
    fleet.refresh();
  }

  @Test
  void twoPoolsOfTheConfiguredTypeAndZoneWhoseMetadataReportsTheirLifecycle() throws Exception {
    assertThat(fleet.pools())
        .containsExactly(
            new Pool("local-spot", "local", "p4d.24xlarge", "local-9b", Lifecycle.SPOT),
            new Pool("local-on-demand", "local", "p4d.24xlarge", "local-9b", Lifecycle.ON_DEMAND));

    fleet.setDesired(spot, 2);
    fleet.setDesired(onDemand, 1);

    assertThat(launched).hasSize(3);
    assertThat(fleet.desired()).isEqualTo(3);
    WorkerView od = fleet.workers().get(2);
    assertThat(fleet.poolOf(od)).contains(onDemand);
    assertThat(od.machine().instance().lifecycle()).isEqualTo(Lifecycle.ON_DEMAND);
    assertThat(od.machine().instance().instanceType()).isEqualTo("p4d.24xlarge");
    assertThat(od.machine().instance().zone()).isEqualTo("local-9b");
    var imds = fleet.metadataServer(od.id()).orElseThrow();
    assertThat(imds.instance().lifeCycle()).isEqualTo("on-demand");
    assertThat(fleet.metadataServer("local-1").orElseThrow().instance().lifeCycle())
        .isEqualTo("spot");
  }

  @Test
  void scaleInStopsOnlyANamedIdleWorkerAndLowersItsPool() {
    fleet.setDesired(spot, 3);
    healthOf("local-1", 1);
    healthOf("local-2", 0);

    assertThat(fleet.scaleIn(spot, "local-1")).as("busy").isFalse();
    assertThat(fleet.scaleIn(spot, "local-3")).as("health unknown").isFalse();
    assertThat(fleet.scaleIn(onDemand, "local-2")).as("another pool").isFalse();
    assertThat(launched.get(0).terminated).isFalse();

    assertThat(fleet.scaleIn(spot, "local-2")).isTrue();

    assertThat(launched.get(1).terminated).as("SIGTERM").isTrue();
    assertThat(fleet.desired(spot)).isEqualTo(2);
    assertThat(view("local-2").state()).isEqualTo(WorkerState.STOPPED);
    fleet.supervise();
    assertThat(launched).as("not relaunched").hasSize(3);
  }

  @Test
  void aBusySurplusWorkerIsAskedToStopLeasingButNeverStopped() throws Exception {
    fleet.setDesired(onDemand, 2);
    healthOf("local-1", 2);
    var imds = fleet.metadataServer("local-1").orElseThrow();

    assertThat(fleet.stopLeasing(spot, "local-1")).as("another pool").isFalse();
    assertThat(fleet.stopLeasing(onDemand, "local-1")).isTrue();

    assertThat(rebalanceStatus(imds))
        .as("the worker's own rebalance recommendation")
        .isEqualTo(200);
    assertThat(launched.get(0).terminated).as("no signal: it finishes its items").isFalse();
    assertThat(fleet.desired(onDemand)).isEqualTo(1);
    assertThat(view("local-1").state()).isEqualTo(WorkerState.STOPPED);
    assertThat(fleet.stopLeasing(onDemand, "local-1")).as("asked once").isFalse();
    launched.get(0).exit(0); // its items done, it exits by itself
    fleet.supervise();
    assertThat(launched).as("not relaunched").hasSize(2);
    assertThat(fleet.interruptions()).allSatisfy((kind, n) -> assertThat(n).isZero());
  }

  private static int rebalanceStatus(dev.spotbatch.localcloud.LocalImdsServer imds)
      throws Exception {
    var http = java.net.http.HttpClient.newHttpClient();
    String token =
        http.send(
                java.net.http.HttpRequest.newBuilder(imds.endpoint().resolve("/latest/api/token"))
                    .header("X-aws-ec2-metadata-token-ttl-seconds", "60")
                    .PUT(java.net.http.HttpRequest.BodyPublishers.noBody())
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString())
            .body();
    return http.send(
            java.net.http.HttpRequest.newBuilder(
                    imds.endpoint().resolve("/latest/meta-data/events/recommendations/rebalance"))
                .header("X-aws-ec2-metadata-token", token)
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  @Test
  void aLowerCountNeverStopsARunningWorker() {
    fleet.setDesired(spot, 2);
    fleet.setDesired(spot, 0);

    assertThat(launched).noneMatch(p -> p.terminated);
    assertThat(fleet.workers()).filteredOn(WorkerView::alive).hasSize(2);
  }

  @Test
  void aWorkerTakenAwayIsNotRelaunchedButACrashedOneIs() {
    fleet.setDesired(spot, 3);
    fleet.interrupt("local-1", InterruptKind.SPOT, Duration.ofSeconds(60));
    fleet.setDesired(spot, 4); // the autoscaler's replacement, while local-1 drains
    assertThat(launched).hasSize(4);

    launched.get(0).exit(0);
    fleet.supervise();
    assertThat(fleet.desired(spot)).isEqualTo(3);
    assertThat(launched).hasSize(4);

    fleet.interrupt("local-2", InterruptKind.KILL, null);
    fleet.supervise();
    assertThat(fleet.desired(spot)).as("killed: the autoscaler replaces it").isEqualTo(2);
    assertThat(launched).hasSize(4);

    launched.get(2).exit(1); // local-3 crashes, before it was ever healthy
    // The fleet counts the back-off from when it learns of the exit (a process has no exit
    // time): advancing the clock before the exit callback has run would move the crash too.
    await().atMost(Duration.ofSeconds(5)).until(() -> view("local-3").state() == WorkerState.LOST);
    ((MutableClock) clock).advance(Duration.ofSeconds(1));
    fleet.supervise();
    assertThat(launched).as("within the 2 s back-off of a first crash").hasSize(4);
    ((MutableClock) clock).advance(Duration.ofSeconds(4));
    fleet.supervise();
    assertThat(launched).hasSize(5);
    assertThat(fleet.desired(spot)).isEqualTo(2);
    assertThat(view("local-3").generation()).isEqualTo(2);
  }

  @Test
  void theCountIsPerPoolAndNotNegative() {
    assertThatThrownBy(() -> fleet.setDesired(spot, -1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                fleet.setDesired(
                    new Pool("aws-x", "aws", "m5.large", "us-east-1a", Lifecycle.SPOT), 1))
        .hasMessageContaining("local-spot");
  }
}
