package dev.spotbatch.dispatcher.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workers as separate JVMs on this machine (the embedded default): launches {@code local-1..N},
 * restarts one that exits unexpectedly (on the next {@link #supervise()}), and on {@link #close()}
 * sends SIGTERM to all, waits for the grace period, then kills what is left. Each worker's output
 * goes to {@code <logDir>/worker-local-<n>.log}.
 */
public final class LocalProcessFleet implements CapacityProvider {
  /** Starts a process; tests pass a fake. */
  @FunctionalInterface
  public interface Launcher {
    Process launch(List<String> command, Map<String, String> environment, Path log) throws IOException;
  }

  /**
   * What the fleet launches.
   *
   * @param extraArgs appended to every worker's command line (e.g. non-default queue names)
   */
  public record Options(
      Path javaHome,
      Path workerJar,
      String sqsEndpoint,
      Path dataDir,
      Duration stopGrace,
      List<String> extraArgs) {
    public Options {
      extraArgs = extraArgs == null ? List.of() : List.copyOf(extraArgs);
    }
  }

  private static final Logger log = LoggerFactory.getLogger(LocalProcessFleet.class);

  private final Options options;
  private final Launcher launcher;
  private final Clock clock;
  private final Map<Integer, Worker> workers = new TreeMap<>();
  private int desired;
  private boolean closed;

  private static final class Worker {
    final int n;
    Process process;
    Instant startedAt;
    int restarts;
    boolean stopping;

    Worker(int n) {
      this.n = n;
    }

    String id() {
      return "local-" + n;
    }
  }

  public LocalProcessFleet(Options options, Launcher launcher, Clock clock) {
    this.options = options;
    this.launcher = launcher;
    this.clock = clock;
  }

  /** The real launcher: a child process with output appended to the log file. */
  public static Process launchProcess(List<String> command, Map<String, String> env, Path logFile)
      throws IOException {
    Files.createDirectories(logFile.getParent());
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    return pb.start();
  }

  /** The command line for worker {@code n}. */
  public List<String> command(int n) {
    List<String> c = new ArrayList<>();
    c.add(options.javaHome().resolve("bin").resolve("java").toString());
    c.add("-Dai.djl.offline=true");
    c.add("-jar");
    c.add(options.workerJar().toString());
    c.add("--spotbatch.worker.id=local-" + n);
    c.add("--server.port=0");
    c.add("--spring.cloud.aws.sqs.endpoint=" + options.sqsEndpoint());
    c.add("--spring.cloud.aws.region.static=us-east-1");
    c.add("--spring.cloud.aws.credentials.access-key=local");
    c.add("--spring.cloud.aws.credentials.secret-key=local");
    String root = options.dataDir().toAbsolutePath().normalize().toString();
    c.add("--spotbatch.worker.allowed-roots=file://" + (root.endsWith("/") ? root : root + "/"));
    c.addAll(options.extraArgs());
    return c;
  }

  public Path logFile(int n) {
    return options.dataDir().resolve("logs").resolve("worker-local-" + n + ".log");
  }

  @Override
  public synchronized int desired() {
    return desired;
  }

  @Override
  public synchronized void setDesired(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0");
    }
    desired = count;
    supervise();
  }

  /** Launches missing workers, restarts exited ones, stops those above the desired count. */
  public synchronized void supervise() {
    if (closed) {
      return;
    }
    for (int n = 1; n <= desired; n++) {
      Worker w = workers.computeIfAbsent(n, Worker::new);
      if (w.process == null) {
        start(w);
      } else if (!w.process.isAlive() && !w.stopping) {
        log.warn("worker {} exited with {}; restarting", w.id(), w.process.exitValue());
        w.restarts++;
        start(w);
      }
    }
    for (Worker w : new ArrayList<>(workers.values())) {
      if (w.n > desired) {
        stop(List.of(w));
        workers.remove(w.n);
      }
    }
  }

  private void start(Worker w) {
    if (!Files.isRegularFile(options.workerJar())) {
      log.error(
          "cannot start worker {}: worker jar {} not found (set spotbatch.fleet.local.worker-jar)",
          w.id(), options.workerJar());
      return;
    }
    try {
      w.process = launcher.launch(command(w.n), Map.of("OPT_OUT_TRACKING", "true"), logFile(w.n));
      w.startedAt = clock.instant();
      log.info("worker {} started, pid {}, log {}", w.id(), w.process.pid(), logFile(w.n));
    } catch (IOException | RuntimeException e) {
      log.error("cannot start worker {}", w.id(), e);
    }
  }

  @Override
  public synchronized List<WorkerView> workers() {
    List<WorkerView> out = new ArrayList<>();
    for (Worker w : workers.values()) {
      WorkerState state;
      Long pid = null;
      if (w.process == null) {
        state = WorkerState.STOPPED;
      } else {
        pid = w.process.pid();
        if (w.process.isAlive()) {
          state = w.stopping ? WorkerState.STOPPING : WorkerState.RUNNING;
        } else {
          state = w.stopping ? WorkerState.STOPPED : WorkerState.EXITED;
        }
      }
      out.add(new WorkerView(w.id(), state, pid, w.startedAt, w.restarts));
    }
    return out;
  }

  /** Sends SIGTERM to every worker, waits up to the grace period, then kills the rest. */
  @Override
  public synchronized void close() {
    closed = true;
    stop(new ArrayList<>(workers.values()));
  }

  private void stop(List<Worker> list) {
    try {
      for (Worker w : list) {
        w.stopping = true;
        if (w.process != null && w.process.isAlive()) {
          w.process.destroy(); // SIGTERM: the worker drains
        }
      }
      long deadline = System.nanoTime() + options.stopGrace().toNanos();
      for (Worker w : list) {
        if (w.process == null) {
          continue;
        }
        long left = Math.max(0, deadline - System.nanoTime());
        if (!w.process.waitFor(left, TimeUnit.NANOSECONDS)) {
          log.warn("worker {} did not stop within {}; killing it", w.id(), options.stopGrace());
          w.process.destroyForcibly();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      list.forEach(w -> {
        if (w.process != null) {
          w.process.destroyForcibly();
        }
      });
    } catch (RuntimeException e) {
      log.warn("stopping workers failed", e);
    }
  }
}
