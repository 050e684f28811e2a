package dev.spotbatch.deploycheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs docker/entrypoint.sh, the images' ENTRYPOINT, outside a container on a tiny application:
 * java must replace the shell (same PID), so a SIGTERM to the container's PID 1 reaches the JVM's
 * shutdown hooks, which is where the worker drains.
 */
class EntrypointScriptTest {
  static final String APP =
      """
      public class App {
        public static void main(String[] args) throws Exception {
          Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("shutdown hook ran");
            System.out.flush();
          }));
          System.out.println("pid " + ProcessHandle.current().pid());
          System.out.println("args " + String.join(" ", args));
          System.out.println("offline " + System.getProperty("ai.djl.offline"));
          System.out.println("tracking " + System.getenv("OPT_OUT_TRACKING"));
          System.out.println("jvm " + String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()));
          System.out.flush();
          if (args.length > 0 && args[0].equals("--exit")) {
            return;
          }
          Thread.sleep(60_000);
        }
      }
      """;

  @Test
  void javaReplacesTheShellAndReceivesSigterm(@TempDir Path dir) throws Exception {
    Path jar = appJar(dir);
    ProcessBuilder pb =
        new ProcessBuilder(
                "sh", Repo.path("docker/entrypoint.sh").toString(), "--spotbatch.a=b", "two words")
            .redirectErrorStream(true);
    pb.environment().put("APP_JAR", jar.toString());
    pb.environment().put("JVM_MAX_RAM_PERCENTAGE", "40");
    pb.environment().put("JAVA_OPTS", "-Dfirst=1 -Dsecond=2");
    pb.environment().remove("OPT_OUT_TRACKING");
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process p = pb.start();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      assertThat(out.readLine())
          .as("exec: java runs as the script's own process")
          .isEqualTo("pid " + p.pid());
      assertThat(out.readLine()).isEqualTo("args --spotbatch.a=b two words");
      assertThat(out.readLine()).isEqualTo("offline true");
      assertThat(out.readLine()).isEqualTo("tracking true");
      assertThat(out.readLine())
          .contains(
              "-XX:+UseContainerSupport",
              "-XX:MaxRAMPercentage=40",
              "-XX:+ExitOnOutOfMemoryError",
              "-Dfirst=1",
              "-Dsecond=2");

      // SIGTERM, as docker stop sends it (through the handle: Process.destroy closes our pipes)
      p.toHandle().destroy();

      assertThat(out.readLine()).isEqualTo("shutdown hook ran");
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("128 + SIGTERM").isEqualTo(143);
    } finally {
      // without exec (the failure this test exists for) java is the shell's child: end it too
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }

  @Test
  void aClassDataArchiveIsMappedWhenThereAndNeverStopsTheJvm(@TempDir Path dir) throws Exception {
    Path jar = appJar(dir);
    Path archive = dir.resolve("app.jsa");
    // the training run, as the worker images make theirs
    Process train =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:ArchiveClassesAtExit=" + archive,
                "-jar",
                jar.toString(),
                "--exit")
            .redirectErrorStream(true)
            .start();
    train.getInputStream().transferTo(OutputStream.nullOutputStream());
    assertThat(train.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(archive).isNotEmptyFile();

    assertThat(runToExit(jar, archive))
        .as("a good archive is mapped")
        .contains("-XX:SharedArchiveFile=" + archive, "-Xshare:auto", "args --exit");

    Path missing = dir.resolve("missing.jsa");
    assertThat(runToExit(jar, missing))
        .as("a missing archive is left out and said")
        .contains("no class-data archive at " + missing, "args --exit")
        .doesNotContain("SharedArchiveFile");

    Path damaged = dir.resolve("damaged.jsa");
    Files.writeString(damaged, "not a class-data archive");
    assertThat(runToExit(jar, damaged))
        .as("an archive the JVM cannot use only costs the speed-up")
        .contains("-XX:SharedArchiveFile=" + damaged, "args --exit");
  }

  /** Runs the tiny application through the script with {@code CDS_ARCHIVE}; its whole output. */
  private static String runToExit(Path jar, Path archive) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder("sh", Repo.path("docker/entrypoint.sh").toString(), "--exit")
            .redirectErrorStream(true);
    pb.environment().put("APP_JAR", jar.toString());
    pb.environment().put("CDS_ARCHIVE", archive.toString());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  static Path appJar(Path dir) throws IOException {
    Path src = dir.resolve("App.java");
    Files.writeString(src, APP);
    int rc =
        ToolProvider.getSystemJavaCompiler()
            .run(null, null, null, "-d", dir.toString(), src.toString());
    assertThat(rc).isZero();
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "App");
    Path jar = dir.resolve("app.jar");
    try (OutputStream raw = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(raw, manifest)) {
      out.putNextEntry(new JarEntry("App.class"));
      out.write(Files.readAllBytes(dir.resolve("App.class")));
      out.closeEntry();
    }
    return jar;
  }

  @Test
  void theScriptIsExecutableAndPosix() throws IOException {
    Path script = Repo.path("docker/entrypoint.sh");
    assertThat(Files.isExecutable(script)).isTrue();
    List<String> lines = Files.readAllLines(script);
    assertThat(lines.get(0)).isEqualTo("#!/bin/sh");
    assertThat(lines).contains("set -eu");
  }
}
