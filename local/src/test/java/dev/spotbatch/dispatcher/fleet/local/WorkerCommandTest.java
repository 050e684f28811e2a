package dev.spotbatch.dispatcher.fleet.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a local worker starts: through the images' entrypoint script when it is there. */
class WorkerCommandTest {
  static final URI IMDS = URI.create("http://127.0.0.1:41000");

  @TempDir Path dir;

  LocalProcessFleet.Options options(Path jar, List<String> jvmArgs) {
    return new LocalProcessFleet.Options(
        Path.of("/opt/java"),
        jar,
        "http://127.0.0.1:9324",
        dir.resolve("data"),
        Duration.ofSeconds(2),
        List.of("--spotbatch.worker.concurrency=1"),
        Duration.ofMillis(500),
        3,
        Map.of(),
        jvmArgs,
        null);
  }

  /** A repository as the build leaves it: docker/entrypoint.sh and worker/target/the jar. */
  Path repoJar() throws Exception {
    Path repo = dir.resolve("repo");
    Files.createDirectories(repo.resolve("docker"));
    Files.writeString(repo.resolve("docker/entrypoint.sh"), "#!/bin/sh\n");
    Path jar = Files.createDirectories(repo.resolve("worker/target")).resolve("worker-exec.jar");
    Files.writeString(jar, "jar");
    return jar;
  }

  @Test
  void aWorkerOfARepositoryBuildStartsThroughItsEntrypointScript() throws Exception {
    Path jar = repoJar();
    WorkerCommand command = new WorkerCommand(options(jar, List.of("-XX:TieredStopAtLevel=1")));
    Path script = dir.resolve("repo/docker/entrypoint.sh");

    assertThat(command.entrypoint()).hasValue(script);
    assertThat(command.command(1, 20001))
        .containsExactly(
            "sh",
            script.toString(),
            "--spotbatch.worker.id=local-1",
            "--server.port=20001",
            "--spring.cloud.aws.sqs.endpoint=http://127.0.0.1:9324",
            "--spring.cloud.aws.region.static=us-east-1",
            "--spring.cloud.aws.credentials.access-key=local",
            "--spring.cloud.aws.credentials.secret-key=local",
            "--spotbatch.worker.allowed-roots=file://" + dir.resolve("data") + "/",
            "--spotbatch.worker.notice.provider=aws",
            "--spotbatch.worker.notice.poll-interval=500ms",
            "--spotbatch.worker.concurrency=1");
    assertThat(command.environment(IMDS))
        .containsEntry("JAVA_HOME", "/opt/java")
        .containsEntry("APP_JAR", jar.toString())
        .containsEntry("JAVA_OPTS", "-XX:TieredStopAtLevel=1")
        .containsEntry("JVM_MAX_RAM_PERCENTAGE", "25")
        .containsEntry("OPT_OUT_TRACKING", "true")
        .containsEntry("AWS_EC2_METADATA_SERVICE_ENDPOINT", IMDS.toString());
    assertThat(command.trainingArgs())
        .as("the class-data training run starts java directly with the same settings")
        .startsWith("--spotbatch.worker.id=local-0", "--server.port=0");
  }

  @Test
  void theClassDataArchiveGoesThroughTheScriptsJavaOptions() throws Exception {
    Path jar = repoJar();
    WorkerCommand command = new WorkerCommand(options(jar, List.of("-XX:TieredStopAtLevel=1")));
    Path cdsJar = dir.resolve("cds/worker.jar");
    Path archive = dir.resolve("cds/worker.jsa");

    command.useClassData(new WorkerClassData.Prepared(cdsJar, archive));

    assertThat(command.command(2, 20002)).startsWith("sh");
    assertThat(command.environment(IMDS))
        .containsEntry("APP_JAR", cdsJar.toString())
        .containsEntry("JAVA_OPTS", "-XX:TieredStopAtLevel=1 -XX:SharedArchiveFile=" + archive);
  }

  @Test
  void theImagesLayoutWithTheScriptBesideTheJarIsFoundToo() throws Exception {
    Path app = Files.createDirectories(dir.resolve("app"));
    Files.writeString(app.resolve("entrypoint.sh"), "#!/bin/sh\n");
    Path jar = app.resolve("app.jar");
    Files.writeString(jar, "jar");

    assertThat(WorkerCommand.entrypointFor(jar)).hasValue(app.resolve("entrypoint.sh"));
  }

  @Test
  void withoutTheScriptOrWithAnOptionTheScriptWouldSplitJavaStartsDirectly() throws Exception {
    Path lone = dir.resolve("worker.jar");
    Files.writeString(lone, "jar");
    WorkerCommand noScript = new WorkerCommand(options(lone, List.of()));
    assertThat(noScript.command(1, 20001))
        .startsWith("/opt/java/bin/java", "-Dai.djl.offline=true", "-jar", lone.toString());
    assertThat(noScript.environment(IMDS)).doesNotContainKeys("APP_JAR", "JAVA_OPTS");

    Path jar = repoJar();
    WorkerCommand spaced = new WorkerCommand(options(jar, List.of("-Dspotbatch.note=two words")));
    assertThat(spaced.command(1, 20001))
        .startsWith("/opt/java/bin/java", "-Dai.djl.offline=true", "-Dspotbatch.note=two words");
    assertThat(spaced.environment(IMDS)).doesNotContainKey("JAVA_OPTS");
  }
}
