package dev.spotbatch.dispatcher.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.dispatcher.MutableClock;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalProcessFleetTest {
  /** A process that stays alive until told otherwise; can ignore SIGTERM. */
  static final class FakeProcess extends Process {
    static long nextPid = 1000;
    final long pid = nextPid++;
    volatile boolean alive = true;
    volatile boolean ignoresTerm;
    volatile boolean terminated;
    volatile boolean killed;

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
    public int waitFor() {
      return 0;
    }

    @Override
    public boolean waitFor(long timeout, TimeUnit unit) {
      return !alive;
    }

    @Override
    public int exitValue() {
      return alive ? -1 : 1;
    }

    @Override
    public void destroy() {
      terminated = true;
      if (!ignoresTerm) {
        alive = false;
      }
    }

    @Override
    public Process destroyForcibly() {
      killed = true;
      alive = false;
      return this;
    }

    @Override
    public boolean isAlive() {
      return alive;
    }

    @Override
    public long pid() {
      return pid;
    }
  }

  record Launch(List<String> command, Map<String, String> env, Path log, FakeProcess process) {}

  @TempDir Path dir;
  final List<Launch> launches = new ArrayList<>();
  LocalProcessFleet fleet;

  @BeforeEach
  void setUp() throws Exception {
    Path jar = dir.resolve("worker.jar");
    Files.writeString(jar, "not really a jar");
    fleet =
        new LocalProcessFleet(
            new LocalProcessFleet.Options(
                Path.of("/opt/java"), jar, "http://127.0.0.1:9324", dir.resolve("data"),
                Duration.ZERO, List.of()),
            (command, env, log) -> {
              FakeProcess p = new FakeProcess();
              launches.add(new Launch(command, env, log, p));
              return p;
            },
            new MutableClock(Instant.parse("2026-01-01T00:00:00Z")));
  }

  @Test
  void launchesEachWorkerAsAJvmWithTheEmbeddedSettings() {
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
            "--server.port=0",
            "--spring.cloud.aws.sqs.endpoint=http://127.0.0.1:9324",
            "--spring.cloud.aws.region.static=us-east-1",
            "--spring.cloud.aws.credentials.access-key=local",
            "--spring.cloud.aws.credentials.secret-key=local",
            "--spotbatch.worker.allowed-roots=file://" + dir.resolve("data") + "/");
    assertThat(first.env()).containsEntry("OPT_OUT_TRACKING", "true");
    assertThat(first.log()).isEqualTo(dir.resolve("data/logs/worker-local-1.log"));
    assertThat(launches.get(1).command()).contains("--spotbatch.worker.id=local-2");
    assertThat(fleet.workers()).extracting(WorkerView::id, WorkerView::state)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("local-1", WorkerState.RUNNING),
            org.assertj.core.groups.Tuple.tuple("local-2", WorkerState.RUNNING));
  }

  @Test
  void restartsAWorkerThatExitsUnexpectedly() {
    fleet.setDesired(1);
    launches.get(0).process().alive = false;
    assertThat(fleet.workers().get(0).state()).isEqualTo(WorkerState.EXITED);

    fleet.supervise();

    assertThat(launches).hasSize(2);
    WorkerView w = fleet.workers().get(0);
    assertThat(w.state()).isEqualTo(WorkerState.RUNNING);
    assertThat(w.restarts()).isEqualTo(1);
    assertThat(w.pid()).isEqualTo(launches.get(1).process().pid());
  }

  @Test
  void closeSendsSigtermThenKillsWorkersThatDoNotStop() {
    fleet.setDesired(2);
    launches.get(1).process().ignoresTerm = true;

    fleet.close();

    assertThat(launches).allSatisfy(l -> assertThat(l.process().terminated).isTrue());
    assertThat(launches.get(0).process().killed).isFalse();
    assertThat(launches.get(1).process().killed).isTrue();
    fleet.supervise();
    assertThat(launches).hasSize(2); // nothing restarts after close
  }

  @Test
  void scalingDownStopsTheHighestNumberedWorkers() {
    fleet.setDesired(3);
    fleet.setDesired(1);
    assertThat(fleet.workers()).extracting(WorkerView::id).containsExactly("local-1");
    assertThat(launches.get(2).process().terminated).isTrue();
    assertThat(fleet.desired()).isEqualTo(1);
  }

  @Test
  void aMissingWorkerJarIsReportedNotLaunched() throws Exception {
    Files.delete(dir.resolve("worker.jar"));
    fleet.setDesired(1);
    assertThat(launches).isEmpty();
    assertThat(fleet.workers().get(0).state()).isEqualTo(WorkerState.STOPPED);
  }
}
