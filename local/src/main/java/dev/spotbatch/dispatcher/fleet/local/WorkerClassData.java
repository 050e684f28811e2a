package dev.spotbatch.dispatcher.fleet.local;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An AppCDS archive of the worker, so that local worker JVMs boot in a fraction of the time.
 * Loading and verifying the worker's classes from the nested executable jar is most of a worker's
 * boot, and on a machine busy with other workers running the model that boot stretches several
 * times over; with the archive the classes are mapped instead (measurements: docs/BENCHMARKS.md).
 *
 * <p>Spring Boot's recipe: extract the executable jar ({@code java -Djarmode=tools -jar w.jar
 * extract}), run the extracted jar once with {@code -XX:ArchiveClassesAtExit} and {@code
 * -Dspring.context.exit=onRefresh} (the context is built, nothing is started, the JVM exits and
 * writes the archive), then start workers from the extracted jar with {@code
 * -XX:SharedArchiveFile}. Both live under {@code <cacheDir>/<jar name>-<size>-<mtime>/}, so a
 * rebuilt jar gets a new archive and an unchanged one is prepared once; a file lock keeps two
 * preparers apart. The archive only speeds up: a JVM that cannot map it loads classes as usual.
 */
public final class WorkerClassData {
  private static final Logger log = LoggerFactory.getLogger(WorkerClassData.class);

  /** What a worker is started from: the extracted jar and the archive. */
  public record Prepared(Path jar, Path archive) {
    /** The JVM option that maps the archive. */
    public String jvmArg() {
      return "-XX:SharedArchiveFile=" + archive;
    }
  }

  /** Runs a command to its end (tests pass a fake); returns the exit code. */
  @FunctionalInterface
  public interface Runner {
    int run(List<String> command, Map<String, String> env, Path log, Duration timeout)
        throws IOException, InterruptedException;
  }

  private WorkerClassData() {}

  /** The real runner: a child process with output to {@code log}, killed after {@code timeout}. */
  public static int runProcess(
      List<String> command, Map<String, String> env, Path log, Duration timeout)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process p = pb.start();
    if (!p.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new IOException("'" + String.join(" ", command) + "' did not end within " + timeout);
    }
    return p.exitValue();
  }

  /** The directory for this jar: its name, size and modification time. */
  static Path directoryFor(Path workerJar, Path cacheDir) throws IOException {
    String name = workerJar.getFileName().toString().replaceFirst("\\.jar$", "");
    return cacheDir.resolve(
        name
            + "-"
            + Long.toHexString(Files.size(workerJar))
            + "-"
            + Long.toHexString(Files.getLastModifiedTime(workerJar).toMillis()));
  }

  /**
   * Prepares (or finds) the extracted jar and the archive for {@code workerJar}.
   *
   * @param java the {@code java} executable
   * @param jvmArgs the workers' JVM options (the training run uses them too)
   * @param trainingArgs the program arguments of the training run, given the extracted jar
   * @return empty if preparation failed (the reason is logged; workers then start from the jar)
   */
  public static Optional<Prepared> prepare(
      Path java,
      Path workerJar,
      Path cacheDir,
      List<String> jvmArgs,
      Function<Path, List<String>> trainingArgs,
      Map<String, String> env,
      Runner runner,
      Duration timeout) {
    try {
      Path dir = directoryFor(workerJar, cacheDir);
      Path jar = dir.resolve("app").resolve(workerJar.getFileName());
      Path archive = dir.resolve("worker.jsa");
      if (Files.isRegularFile(archive) && Files.isRegularFile(jar)) {
        return Optional.of(new Prepared(jar, archive));
      }
      Files.createDirectories(dir);
      try (FileChannel ch =
              FileChannel.open(
                  dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = ch.lock()) {
        if (Files.isRegularFile(archive) && Files.isRegularFile(jar)) {
          return Optional.of(new Prepared(jar, archive)); // another preparer was first
        }
        long started = System.nanoTime();
        Path logFile = dir.resolve("prepare.log");
        Path extracted = dir.resolve("app");
        if (!Files.isRegularFile(dir.resolve("app.done"))) {
          deleteTree(extracted);
          int code =
              runner.run(
                  List.of(
                      java.toString(),
                      "-Djarmode=tools",
                      "-jar",
                      workerJar.toString(),
                      "extract",
                      "--destination",
                      extracted.toString()),
                  env,
                  logFile,
                  timeout);
          if (code != 0 || !Files.isRegularFile(jar)) {
            log.warn(
                "cannot extract the worker jar {} (exit code {}; see {}); workers start from the"
                    + " jar",
                workerJar,
                code,
                logFile);
            return Optional.empty();
          }
          Files.writeString(dir.resolve("app.done"), "");
        }
        // the archive records the class path, so the training run uses the final jar path
        Path partial = dir.resolve("worker.jsa.part");
        Files.deleteIfExists(partial);
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.add("-XX:ArchiveClassesAtExit=" + partial);
        command.add("-Dspring.context.exit=onRefresh");
        command.add("-Dai.djl.offline=true");
        command.addAll(jvmArgs);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(trainingArgs.apply(jar));
        int code = runner.run(command, env, logFile, timeout);
        if (code != 0 || !Files.isRegularFile(partial) || Files.size(partial) == 0) {
          log.warn(
              "training run for the worker's class-data archive failed (exit code {}; see {});"
                  + " workers start from the jar",
              code,
              logFile);
          return Optional.empty();
        }
        Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE);
        pruneOthers(dir);
        log.info(
            "worker class-data archive {} ready in {} ms",
            archive,
            (System.nanoTime() - started) / 1_000_000);
        return Optional.of(new Prepared(jar, archive));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      log.warn(
          "cannot prepare a class-data archive for {} under {}: {}; workers start from the jar",
          workerJar,
          cacheDir,
          e.toString());
      return Optional.empty();
    }
  }

  /** Deletes the archives of earlier builds of the same jar (about 200 MB each). */
  private static void pruneOthers(Path dir) {
    String name = dir.getFileName().toString();
    String prefix = name.substring(0, name.lastIndexOf('-', name.lastIndexOf('-') - 1) + 1);
    try (var siblings = Files.list(dir.getParent())) {
      for (Path other : siblings.toList()) {
        String n = other.getFileName().toString();
        if (!other.equals(dir) && n.startsWith(prefix) && Files.isDirectory(other)) {
          deleteTree(other);
          log.info("deleted the class-data archive of an earlier worker jar: {}", other);
        }
      }
    } catch (IOException | RuntimeException e) {
      log.debug("pruning old class-data archives failed", e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
