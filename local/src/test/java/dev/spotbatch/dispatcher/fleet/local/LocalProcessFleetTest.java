package dev.spotbatch.dispatcher.fleet.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.spotbatch.dispatcher.fleet.InterruptKind;
import dev.spotbatch.dispatcher.fleet.Interruption;
import dev.spotbatch.dispatcher.fleet.PastInstance;
import dev.spotbatch.dispatcher.fleet.WorkerState;
import dev.spotbatch.dispatcher.fleet.WorkerView;
import dev.spotbatch.dispatcher.fleet.local.FleetExceptions.UnknownWorkerException;
import dev.spotbatch.dispatcher.fleet.local.FleetExceptions.WorkerNotInterruptibleException;
import dev.spotbatch.model.Lifecycle;
import dev.spotbatch.testing.MutableClock;
import java.io.InputStream;
import java.io.OutputStream;
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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalProcessFleetTest {
  /** A process that stays alive until told otherwise; can ignore SIGTERM. */
  static final class FakeProcess extends Process {
    static long nextPid = 1000;
    final long pid = nextPid++;
    final CountDownLatch exited = new CountDownLatch(1);
    volatile boolean ignoresTerm;
    volatile boolean terminated;
    volatile boolean killed;
    volatile int exitCode = 1;

    void exit(int code) {
      exitCode = code;
      exited.countDown();
    }

    @Override
    public OutputStream getOutputStream() {
      return OutputStream.nullOutputStream();
    }

    @Override
    public InputStream getInputStream() {
      return InputStream.nullInputStream();
    }

    @Override
    public InputStream getErrorStream() {
      return InputStream.nullInputStream();
    }

    @Override
    public int waitFor() throws InterruptedException {
      exited.await();
      return exitCode;
    }

    @Override
    public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
      return exited.await(timeout, unit);
    }

    @Override
    public int exitValue() {
      if (isAlive()) {
        throw new IllegalThreadStateException("alive");
      }
      return exitCode;
    }

    @Override
    public void destroy() {
      terminated = true;
      if (!ignoresTerm) {
        exit(143);
      }
    }

    @Override
    public Process destroyForcibly() {
      killed = true;
      exit(137);
      return this;
    }

    @Override
    public boolean isAlive() {
      return exited.getCount() > 0;
    }

    @Override
    public long pid() {
      return pid;
    }
  }

  record Launch(List<String> command, Map<String, String> env, Path log, Process process) {
    FakeProcess fake() {
      return (FakeProcess) process;
    }
  }

  @TempDir Path dir;
  final List<Launch> launches = new CopyOnWriteArrayList<>();
  final AtomicInteger ports = new AtomicInteger(20000);
  final HttpClient http = HttpClient.newHttpClient();
  volatile boolean realProcesses;
  LocalProcessFleet fleet;
  Clock clock;

  Clock clock() {
    return clock;
  }

  LocalProcessFleet fleet(Clock clock, HealthProbe health) throws Exception {
    return fleet(
        clock,
        health,
        new LocalProcessFleet.Options(
            Path.of("/opt/java"),
            jar(),
            "http://127.0.0.1:9324",
            dir.resolve("data"),
            Duration.ofSeconds(2),
            List.of(),
            Duration.ofMillis(500),
            3));
  }

  Path jar() throws Exception {
    Path jar = dir.resolve("worker.jar");
    Files.writeString(jar, "not really a jar");
    return jar;
  }

  LocalProcessFleet fleet(Clock clock, HealthProbe health, LocalProcessFleet.Options options) {
    this.clock = clock;
    return new LocalProcessFleet(
        options,
        (command, env, log) -> {
          Process p;
          if (realProcesses) {
            p = new ProcessBuilder("sleep", "60").start(); // a real child that does nothing
          } else {
            p = new FakeProcess();
          }
          launches.add(new Launch(command, env, log, p));
          return p;
        },
        clock,
        health,
        ports::incrementAndGet);
  }

  @BeforeEach
  void setUp() throws Exception {
    fleet = fleet(new MutableClock(Instant.parse("2026-01-01T00:00:00Z")), HealthProbe.none());
  }

  @AfterEach
  void tearDown() {
    fleet.close();
    launches.forEach(l -> l.process().destroyForcibly());
  }

  @Test
  void launchesEachWorkerAsAJvmWithItsOwnMetadataEndpointAndManagementPort() {
    fleet.setDesired(2);

    assertThat(launches).hasSize(2);
    Launch first = launches.get(0);
    assertThat(first.command())
        .containsExactly(
            "/opt/java/bin/java",
            "-Dai.djl.offline=true",
            "-jar",
            dir.resolve("worker.jar").toString(),
            "--spotbatch.worker.id=local-1",
            "--server.port=20001",
            "--spring.cloud.aws.sqs.endpoint=http://127.0.0.1:9324",
            "--spring.cloud.aws.region.static=us-east-1",
            "--spring.cloud.aws.credentials.access-key=local",
            "--spring.cloud.aws.credentials.secret-key=local",
            "--spotbatch.worker.allowed-roots=file://" + dir.resolve("data") + "/",
            "--spotbatch.worker.notice.provider=aws",
            "--spotbatch.worker.notice.poll-interval=500ms");
    assertThat(first.env()).containsEntry("OPT_OUT_TRACKING", "true");
    assertThat(first.env().get("AWS_EC2_METADATA_SERVICE_ENDPOINT"))
        .startsWith("http://127.0.0.1:");
    assertThat(launches.get(1).env().get("AWS_EC2_METADATA_SERVICE_ENDPOINT"))
        .isNotEqualTo(first.env().get("AWS_EC2_METADATA_SERVICE_ENDPOINT"));
    assertThat(first.log()).isEqualTo(dir.resolve("data/logs/worker-local-1.log"));
    assertThat(launches.get(1).command())
        .contains("--spotbatch.worker.id=local-2", "--server.port=20002");

    List<WorkerView> workers = fleet.workers();
    assertThat(workers).extracting(WorkerView::id).containsExactly("local-1", "local-2");
    WorkerView w = workers.get(0);
    assertThat(w.state()).isEqualTo(WorkerState.STARTING);
    assertThat(w.machine().instance().instanceId()).isEqualTo("i-local-1-1");
    assertThat(w.machine().instance().lifecycle()).isEqualTo(Lifecycle.SPOT);
    assertThat(w.machine().instance().instanceType()).isEqualTo("g5.xlarge");
    assertThat(w.machine().instance().region()).isEqualTo("local-1");
    assertThat(w.machine().instance().zone()).isEqualTo("local-1a");
    assertThat(w.machine().metadataEndpoint())
        .isEqualTo(first.env().get("AWS_EC2_METADATA_SERVICE_ENDPOINT"));
    assertThat(w.machine().managementPort()).isEqualTo(20001);
    assertThat(w.generation()).isEqualTo(1);
  }

  @Test
  void onKafkaWorkersGetTheKafkaSettingsAndNoSqsEndpoint() throws Exception {
    fleet.close();
    fleet =
        fleet(
            clock,
            HealthProbe.none(),
            new LocalProcessFleet.Options(
                Path.of("/opt/java"),
                jar(),
                null,
                dir.resolve("data"),
                Duration.ofSeconds(2),
                List.of(
                    "--spotbatch.queue.type=kafka",
                    "--spotbatch.queue.kafka.bootstrap-servers=127.0.0.1:39092"),
                Duration.ofMillis(500),
                3,
                Map.of("SPRING_APPLICATION_JSON", "{\"k\":\"v\"}"),
                null,
                null));

    fleet.setDesired(1);

    Launch first = launches.get(0);
    assertThat(first.command())
        .containsExactly(
            "/opt/java/bin/java",
            "-Dai.djl.offline=true",
            "-jar",
            dir.resolve("worker.jar").toString(),
            "--spotbatch.worker.id=local-1",
            "--server.port=20001",
            "--spring.cloud.aws.region.static=us-east-1",
            "--spring.cloud.aws.credentials.access-key=local",
            "--spring.cloud.aws.credentials.secret-key=local",
            "--spotbatch.worker.allowed-roots=file://" + dir.resolve("data") + "/",
            "--spotbatch.worker.notice.provider=aws",
            "--spotbatch.worker.notice.poll-interval=500ms",
            "--spotbatch.queue.type=kafka",
            "--spotbatch.queue.kafka.bootstrap-servers=127.0.0.1:39092");
    assertThat(first.env())
        .containsEntry("SPRING_APPLICATION_JSON", "{\"k\":\"v\"}")
        .containsEntry("OPT_OUT_TRACKING", "true");
  }

  @Test
  void theMetadataEndpointServesTheInstanceFactsToAWorker() throws Exception {
    fleet.setDesired(1);
    String endpoint = launches.get(0).env().get("AWS_EC2_METADATA_SERVICE_ENDPOINT");
    assertThat(imds(endpoint, "/latest/meta-data/instance-id").body()).isEqualTo("i-local-1-1");
    assertThat(imds(endpoint, "/latest/meta-data/instance-life-cycle").body()).isEqualTo("spot");
    assertThat(imds(endpoint, "/latest/meta-data/placement/availability-zone").body())
        .isEqualTo("local-1a");
    assertThat(imds(endpoint, "/latest/meta-data/spot/instance-action").statusCode())
        .isEqualTo(404);
  }

  @Test
  void replacesALostWorkerWithANewProcessAndANewIdentity() throws Exception {
    fleet.setDesired(1);
    String firstEndpoint = launches.get(0).env().get("AWS_EC2_METADATA_SERVICE_ENDPOINT");
    launches.get(0).fake().exit(1);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> fleet.workers().get(0).state() == WorkerState.LOST);
    assertThat(fleet.workers().get(0).history()).hasSize(1);

    ((MutableClock) clock()).advance(Duration.ofSeconds(5));
    fleet.supervise();

    assertThat(launches).hasSize(2);
    WorkerView w = fleet.workers().get(0);
    assertThat(w.state()).isEqualTo(WorkerState.STARTING);
    assertThat(w.restarts()).isEqualTo(1);
    assertThat(w.generation()).isEqualTo(2);
    assertThat(w.machine().instance().instanceId()).isEqualTo("i-local-1-2");
    assertThat(w.machine().pid()).isEqualTo(launches.get(1).process().pid());
    assertThat(w.machine().metadataEndpoint()).isNotEqualTo(firstEndpoint);
    PastInstance past = w.history().get(0);
    assertThat(past.instanceId()).isEqualTo("i-local-1-1");
    assertThat(past.exitCode()).isEqualTo(1);
    assertThat(past.interruption()).isNull();
    assertThat(past.exitedBeforeDeadline()).isNull();
    // the old endpoint is gone with its process
    assertThatThrownBy(() -> imds(firstEndpoint, "/latest/meta-data/instance-id"))
        .isInstanceOf(Exception.class);
  }

  @Test
  void keepsABoundedHistoryPerWorker() throws Exception {
    fleet.setDesired(1);
    for (int i = 0; i < 5; i++) {
      Launch l = launches.get(launches.size() - 1);
      l.fake().exit(0);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> fleet.workers().get(0).state() == WorkerState.LOST);
      ((MutableClock) clock()).advance(Duration.ofMinutes(2));
      fleet.supervise();
    }
    WorkerView w = fleet.workers().get(0);
    assertThat(w.generation()).isEqualTo(6);
    assertThat(w.history())
        .extracting(PastInstance::instanceId)
        .containsExactly("i-local-1-5", "i-local-1-4", "i-local-1-3");
  }

  @Test
  void reportsHealthAndLeasesFromTheWorker() throws Exception {
    fleet.close();
    List<Object> leases = List.of(Map.of("itemId", "job-1/3", "records", 12));
    fleet =
        fleet(
            new MutableClock(Instant.parse("2026-01-01T00:00:00Z")),
            port ->
                CompletableFuture.completedFuture(
                    Optional.of(new WorkerHealth("UP", 1, leases, false))));
    fleet.setDesired(1);
    assertThat(fleet.workers().get(0).state()).isEqualTo(WorkerState.STARTING);
    fleet.refresh();
    WorkerView w = fleet.workers().get(0);
    assertThat(w.state()).isEqualTo(WorkerState.RUNNING);
    assertThat(w.leases().active()).isEqualTo(1);
    assertThat(w.leases().leases()).isEqualTo(leases);
  }

  @Test
  void parsesActuatorHealthAndToleratesMissingDetails() {
    tools.jackson.databind.json.JsonMapper json =
        tools.jackson.databind.json.JsonMapper.builder().build();
    WorkerHealth full =
        HealthProbe.parse(
                json,
                "{\"status\":\"OUT_OF_SERVICE\",\"components\":{\"worker\":{\"status\":\"OUT_OF_SERVICE\","
                    + "\"details\":{\"activeLeases\":2,\"leases\":[{\"itemId\":\"a\"}],\"draining\":true}}}}")
            .orElseThrow();
    assertThat(full.status()).isEqualTo("OUT_OF_SERVICE");
    assertThat(full.activeLeases()).isEqualTo(2);
    assertThat(full.leases()).containsExactly(Map.of("itemId", "a"));
    assertThat(full.draining()).isTrue();
    WorkerHealth bare = HealthProbe.parse(json, "{\"status\":\"UP\"}").orElseThrow();
    assertThat(bare.up()).isTrue();
    assertThat(bare.leases()).isNull();
    assertThat(bare.draining()).isNull();
    assertThat(HealthProbe.parse(json, "<html>")).isEmpty();
  }

  @Test
  void spotInterruptionIsAnnouncedOnTheWorkersMetadataEndpoint() throws Exception {
    fleet.setDesired(2);
    String endpoint = launches.get(0).env().get("AWS_EC2_METADATA_SERVICE_ENDPOINT");

    Interruption i = fleet.interrupt("local-1", InterruptKind.SPOT, Duration.ofSeconds(120));

    assertThat(i.deadline()).isEqualTo(Instant.parse("2026-01-01T00:02:00Z"));
    assertThat(i.instanceId()).isEqualTo("i-local-1-1");
    HttpResponse<String> action = imds(endpoint, "/latest/meta-data/spot/instance-action");
    assertThat(action.statusCode()).isEqualTo(200);
    assertThat(action.body())
        .contains("\"action\": \"terminate\"", "\"time\": \"2026-01-01T00:02:00Z\"");
    assertThat(imds(endpoint, "/latest/meta-data/events/recommendations/rebalance").statusCode())
        .isEqualTo(404);
    assertThat(imds(endpoint, "/latest/meta-data/autoscaling/target-lifecycle-state").body())
        .isEqualTo("InService");
    // the other worker heard nothing
    String other = launches.get(1).env().get("AWS_EC2_METADATA_SERVICE_ENDPOINT");
    assertThat(imds(other, "/latest/meta-data/spot/instance-action").statusCode()).isEqualTo(404);
    assertThat(fleet.workers().get(0).state()).isEqualTo(WorkerState.DRAINING);
    assertThat(fleet.workers().get(0).interruption()).isEqualTo(i);
    assertThat(fleet.interruptions()).containsEntry("spot", 1L).containsEntry("kill", 0L);
  }

  @Test
  void rebalanceAndLifecycleChangeTheirMetadataAnswers() throws Exception {
    fleet.setDesired(2);
    String first = launches.get(0).env().get("AWS_EC2_METADATA_SERVICE_ENDPOINT");
    String second = launches.get(1).env().get("AWS_EC2_METADATA_SERVICE_ENDPOINT");

    Interruption r = fleet.interrupt("local-1", InterruptKind.REBALANCE, null);
    Interruption l = fleet.interrupt("local-2", InterruptKind.LIFECYCLE, null);

    assertThat(r.deadline()).isNull();
    HttpResponse<String> rebalance =
        imds(first, "/latest/meta-data/events/recommendations/rebalance");
    assertThat(rebalance.statusCode()).isEqualTo(200);
    assertThat(rebalance.body()).contains("\"noticeTime\": \"2026-01-01T00:00:00Z\"");
    assertThat(imds(first, "/latest/meta-data/spot/instance-action").statusCode()).isEqualTo(404);
    assertThat(l.deadline()).isEqualTo(Instant.parse("2026-01-01T00:02:00Z"));
    assertThat(imds(second, "/latest/meta-data/autoscaling/target-lifecycle-state").body())
        .isEqualTo("Terminated");
    // a rebalance recommendation is advisory: a spot notice may still follow
    Interruption s = fleet.interrupt("local-1", InterruptKind.SPOT, Duration.ofSeconds(30));
    assertThat(s.kind()).isEqualTo(InterruptKind.SPOT);
    assertThat(fleet.interruptions())
        .containsExactly(
            Map.entry("spot", 1L),
            Map.entry("rebalance", 1L),
            Map.entry("lifecycle", 1L),
            Map.entry("sigterm", 0L),
            Map.entry("kill", 0L));
  }

  @Test
  void aWorkerHasAtMostOnePendingInterruption() {
    fleet.setDesired(1);
    fleet.interrupt("local-1", InterruptKind.SPOT, Duration.ofSeconds(120));
    assertThatThrownBy(() -> fleet.interrupt("local-1", InterruptKind.SIGTERM, null))
        .isInstanceOf(WorkerNotInterruptibleException.class)
        .hasMessageContaining("already interrupted (spot");
    assertThatThrownBy(() -> fleet.interrupt("local-7", InterruptKind.KILL, null))
        .isInstanceOf(UnknownWorkerException.class)
        .hasMessageContaining("local-1");
  }

  @Test
  void sigtermAndKillActOnTheProcessAndAreRecorded() throws Exception {
    fleet.close();
    fleet = fleet(Clock.systemUTC(), HealthProbe.none());
    realProcesses = true;
    fleet.setDesired(2);
    Process first = launches.get(0).process();
    Process second = launches.get(1).process();

    Interruption term = fleet.interrupt("local-1", InterruptKind.SIGTERM, Duration.ofSeconds(30));
    Interruption kill = fleet.interrupt("local-2", InterruptKind.KILL, null);

    assertThat(first.waitFor(5, TimeUnit.SECONDS)).isTrue();
    assertThat(second.waitFor(5, TimeUnit.SECONDS)).isTrue();
    assertThat(first.exitValue()).isEqualTo(143); // SIGTERM
    assertThat(second.exitValue()).isEqualTo(137); // SIGKILL
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> fleet.workers().stream().allMatch(w -> w.history().size() == 1));
    PastInstance t = fleet.workers().get(0).history().get(0);
    assertThat(t.interruption()).isEqualTo(term);
    assertThat(t.exitCode()).isEqualTo(143);
    assertThat(t.exitedBeforeDeadline()).isTrue();
    assertThat(t.killedAtDeadline()).isFalse();
    PastInstance k = fleet.workers().get(1).history().get(0);
    assertThat(k.interruption()).isEqualTo(kill);
    assertThat(k.exitedBeforeDeadline()).isNull();
    // both are replaced by new processes (the replacement comes about a second later)
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> fleet.workers().stream().allMatch(w -> w.generation() == 2 && w.alive()));
  }

  @Test
  void aProcessStillAliveAtItsDeadlineIsKilled() throws Exception {
    fleet.close();
    fleet = fleet(Clock.systemUTC(), HealthProbe.none());
    realProcesses = true; // `sleep` ignores the spot notice, like a worker that does not drain
    fleet.setDesired(1);
    Process p = launches.get(0).process();

    Interruption i = fleet.interrupt("local-1", InterruptKind.SPOT, Duration.ofSeconds(2));

    assertThat(p.waitFor(6, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(137);
    await().atMost(Duration.ofSeconds(5)).until(() -> !fleet.workers().get(0).history().isEmpty());
    PastInstance past = fleet.workers().get(0).history().get(0);
    assertThat(past.interruption()).isEqualTo(i);
    assertThat(past.killedAtDeadline()).isTrue();
    assertThat(past.exitedBeforeDeadline()).isFalse();
    assertThat(past.exitedAt()).isAfterOrEqualTo(i.deadline());
  }

  @Test
  void sigtermIsEnforcedWithAKillWhenTheWorkerIgnoresIt() throws Exception {
    fleet.close();
    fleet = fleet(Clock.systemUTC(), HealthProbe.none());
    fleet.setDesired(1);
    FakeProcess p = launches.get(0).fake();
    p.ignoresTerm = true;

    fleet.interrupt("local-1", InterruptKind.SIGTERM, Duration.ofSeconds(1));

    assertThat(p.terminated).isTrue();
    assertThat(p.waitFor(5, TimeUnit.SECONDS)).isTrue();
    assertThat(p.killed).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> !fleet.workers().get(0).history().isEmpty());
    assertThat(fleet.workers().get(0).history().get(0).exitedBeforeDeadline()).isFalse();
  }

  @Test
  void closeSendsSigtermThenKillsWorkersThatDoNotStop() {
    fleet.setDesired(2);
    launches.get(1).fake().ignoresTerm = true;

    fleet.close();

    assertThat(launches).allSatisfy(l -> assertThat(l.fake().terminated).isTrue());
    assertThat(launches.get(0).fake().killed).isFalse();
    assertThat(launches.get(1).fake().killed).isTrue();
    fleet.supervise();
    assertThat(launches).hasSize(2); // nothing restarts after close
    assertThat(fleet.workers()).extracting(WorkerView::state).containsOnly(WorkerState.STOPPED);
  }

  @Test
  void scalingDownStopsTheHighestNumberedWorkers() {
    fleet.setDesired(3);
    fleet.setDesired(1);
    assertThat(fleet.workers()).extracting(WorkerView::id).containsExactly("local-1");
    assertThat(launches.get(2).fake().terminated).isTrue();
    assertThat(fleet.desired()).isEqualTo(1);
  }

  @Test
  void aMissingWorkerJarIsReportedNotLaunched() throws Exception {
    Files.delete(dir.resolve("worker.jar"));
    fleet.setDesired(1);
    assertThat(launches).isEmpty();
    assertThat(fleet.workers().get(0).state()).isEqualTo(WorkerState.STOPPED);
    assertThatThrownBy(() -> fleet.interrupt("local-1", InterruptKind.SPOT, null))
        .isInstanceOf(WorkerNotInterruptibleException.class);
  }

  /** A fleet with JVM options and a class-data directory; launches are recorded as fakes. */
  LocalProcessFleet classDataFleet() throws Exception {
    fleet.close();
    Path jar = dir.resolve("worker.jar");
    return new LocalProcessFleet(
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
            List.of("-XX:TieredStopAtLevel=1"),
            dir.resolve("cds")),
        (command, env, log) -> {
          Process p = new FakeProcess();
          launches.add(new Launch(command, env, log, p));
          return p;
        },
        clock,
        HealthProbe.none(),
        ports::incrementAndGet);
  }

  /** Plays the JDK: {@code extract} writes the jar, the training run writes the archive. */
  final List<List<String>> runs = new CopyOnWriteArrayList<>();

  int fakeJava(List<String> command, Map<String, String> env, Path log, Duration timeout)
      throws java.io.IOException {
    runs.add(command);
    assertThat(env.get("AWS_EC2_METADATA_SERVICE_ENDPOINT")).startsWith("http://127.0.0.1:");
    int destination = command.indexOf("--destination");
    if (destination >= 0) {
      Path app = Path.of(command.get(destination + 1));
      Files.createDirectories(app);
      Files.writeString(app.resolve("worker.jar"), "extracted");
      return 0;
    }
    for (String arg : command) {
      if (arg.startsWith("-XX:ArchiveClassesAtExit=")) {
        Files.writeString(Path.of(arg.substring("-XX:ArchiveClassesAtExit=".length())), "jsa");
      }
    }
    return 0;
  }

  @Test
  void workersStartWithTheJvmOptionsAndTheClassDataArchivePreparedOnce() throws Exception {
    Path earlier = Files.createDirectories(dir.resolve("cds/worker-1a-18c0ffee/app"));
    fleet = classDataFleet();
    fleet.setDesired(2);
    assertThat(launches).as("no launch before the archive is prepared").isEmpty();
    assertThat(fleet.workers()).extracting(WorkerView::state).containsOnly(WorkerState.STOPPED);

    fleet.prepareClassData(this::fakeJava);

    assertThat(runs).hasSize(2);
    assertThat(runs.get(0)).contains("-Djarmode=tools", "extract");
    Path cds = WorkerClassData.directoryFor(dir.resolve("worker.jar"), dir.resolve("cds"));
    Path extracted = cds.resolve("app/worker.jar");
    List<String> training = runs.get(1);
    assertThat(training)
        .contains(
            "-Dspring.context.exit=onRefresh",
            "-XX:TieredStopAtLevel=1",
            extracted.toString(),
            "--spotbatch.worker.id=local-0",
            "--server.port=0");
    assertThat(training.indexOf("-jar")).isEqualTo(training.indexOf(extracted.toString()) - 1);
    assertThat(launches).hasSize(2);
    List<String> command = launches.get(0).command();
    assertThat(command.subList(0, 6))
        .containsExactly(
            "/opt/java/bin/java",
            "-Dai.djl.offline=true",
            "-XX:TieredStopAtLevel=1",
            "-XX:SharedArchiveFile=" + cds.resolve("worker.jsa"),
            "-jar",
            extracted.toString());
    assertThat(command).contains("--spotbatch.worker.id=local-1");
    assertThat(earlier.getParent()).as("an earlier build's archive is deleted").doesNotExist();

    // an unchanged jar: the next fleet reuses the archive without running anything
    fleet.close();
    launches.clear();
    fleet = classDataFleet();
    fleet.setDesired(1);
    fleet.prepareClassData(this::fakeJava);
    assertThat(runs).hasSize(2);
    assertThat(launches.get(0).command()).contains(extracted.toString());
  }

  @Test
  void aFailedTrainingRunLeavesWorkersStartingFromTheJar() throws Exception {
    fleet = classDataFleet();
    fleet.setDesired(1);
    fleet.prepareClassData(
        (command, env, log, timeout) ->
            command.contains("extract") ? fakeJava(command, env, log, timeout) : 1);

    assertThat(fleet.classData()).isEmpty();
    assertThat(launches).hasSize(1);
    assertThat(launches.get(0).command())
        .contains("-XX:TieredStopAtLevel=1", dir.resolve("worker.jar").toString())
        .noneMatch(a -> a.startsWith("-XX:SharedArchiveFile"));
  }

  /** GETs a metadata path the way a worker does: a token first, then the path with it. */
  HttpResponse<String> imds(String endpoint, String path) throws Exception {
    HttpResponse<String> token =
        http.send(
            HttpRequest.newBuilder(URI.create(endpoint + "/latest/api/token"))
                .header("X-aws-ec2-metadata-token-ttl-seconds", "21600")
                .PUT(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(token.statusCode()).isEqualTo(200);
    return http.send(
        HttpRequest.newBuilder(URI.create(endpoint + path))
            .header("X-aws-ec2-metadata-token", token.body())
            .timeout(Duration.ofSeconds(5))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
