package dev.spotbatch.dispatcher.fleet.local;

import dev.spotbatch.dispatcher.fleet.CapacityProvider;
import dev.spotbatch.dispatcher.fleet.InterruptKind;
import dev.spotbatch.dispatcher.fleet.Interruption;
import dev.spotbatch.dispatcher.fleet.Pool;
import dev.spotbatch.dispatcher.fleet.WorkerView;
import dev.spotbatch.localcloud.LocalImdsServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workers as separate JVMs on this machine (the embedded default): the {@link CapacityProvider}
 * {@code local}, with two pools, {@code local-spot} and {@code local-on-demand}, of one simulated
 * instance type and zone ({@link FleetSizing}: a fixed number of spot workers, or a count per pool
 * set by the autoscaler, which scales in only idle workers it names). Each worker slot {@code
 * local-<n>} runs one process at a time; every process gets its own instance identity ({@code
 * i-local-<n>-<generation>}) served by its own {@link LocalImdsServer}, which the worker polls for
 * notices exactly as on EC2 ({@code AWS_EC2_METADATA_SERVICE_ENDPOINT}), and its own Actuator port,
 * which the fleet reads for health and leases.
 *
 * <p>The parts: {@link WorkerCommand} (what a process is started with), {@link ProcessSupervisor}
 * (launch, replace with backoff, stop, history), {@link Interrupter} (notices, signals, deadlines),
 * {@link HealthPoller}, and {@link WorkerClassData} (the workers' AppCDS archive). On {@link
 * #close()} every worker gets SIGTERM, then the grace period, then SIGKILL. Each worker's output
 * goes to {@code <dataDir>/logs/worker-local-<n>.log}. Thread-safe.
 */
public final class LocalProcessFleet implements CapacityProvider, ChaosScheduler.Target {
  /** Starts a process; tests pass a fake. */
  @FunctionalInterface
  public interface Launcher {
    Process launch(List<String> command, Map<String, String> environment, Path log)
        throws IOException;
  }

  /** Picks a free TCP port for a worker's Actuator endpoint. */
  @FunctionalInterface
  public interface PortAllocator {
    int freePort();
  }

  /**
   * What the fleet launches.
   *
   * @param sqsEndpoint the SQS endpoint workers use, or null when the queues are not on SQS (then
   *     no SQS setting is passed)
   * @param stopGrace how long workers get to drain when they are stopped before they are killed
   * @param extraArgs appended to every worker's command line (e.g. the queue type, Kafka bootstrap
   *     servers, non-default queue names)
   * @param noticePollInterval how often workers poll their metadata endpoint
   * @param historySize ended processes kept per worker slot
   * @param extraEnvironment added to every worker's environment (settings that must not show on a
   *     command line, e.g. Kafka client security properties)
   * @param jvmArgs JVM options of every worker process (e.g. {@code -XX:TieredStopAtLevel=1})
   * @param classDataDir where {@link #prepareClassData()} keeps the worker's class-data archive
   *     (null: workers start from the jar as it is)
   * @param instanceType the simulated instance type every local worker reports (its pools' type,
   *     for pricing); null: {@code g5.xlarge}
   * @param zone the zone every local worker reports; null: {@code local-1a}
   * @param sizing a fixed fleet or one the autoscaler sizes; null: fixed
   */
  public record Options(
      Path javaHome,
      Path workerJar,
      String sqsEndpoint,
      Path dataDir,
      Duration stopGrace,
      List<String> extraArgs,
      Duration noticePollInterval,
      int historySize,
      Map<String, String> extraEnvironment,
      List<String> jvmArgs,
      Path classDataDir,
      String instanceType,
      String zone,
      FleetSizing sizing) {
    public Options {
      sizing = sizing == null ? FleetSizing.FIXED : sizing;
      extraArgs = extraArgs == null ? List.of() : List.copyOf(extraArgs);
      noticePollInterval = noticePollInterval == null ? Duration.ofMillis(500) : noticePollInterval;
      historySize = historySize <= 0 ? 10 : historySize;
      extraEnvironment = extraEnvironment == null ? Map.of() : Map.copyOf(extraEnvironment);
      jvmArgs = jvmArgs == null ? List.of() : List.copyOf(jvmArgs);
    }

    /** A fixed fleet of the default instance type and zone. */
    public Options(
        Path javaHome,
        Path workerJar,
        String sqsEndpoint,
        Path dataDir,
        Duration stopGrace,
        List<String> extraArgs,
        Duration noticePollInterval,
        int historySize,
        Map<String, String> extraEnvironment,
        List<String> jvmArgs,
        Path classDataDir) {
      this(
          javaHome,
          workerJar,
          sqsEndpoint,
          dataDir,
          stopGrace,
          extraArgs,
          noticePollInterval,
          historySize,
          extraEnvironment,
          jvmArgs,
          classDataDir,
          null,
          null,
          FleetSizing.FIXED);
    }

    /** Without extra environment, JVM options or class-data archive. */
    public Options(
        Path javaHome,
        Path workerJar,
        String sqsEndpoint,
        Path dataDir,
        Duration stopGrace,
        List<String> extraArgs,
        Duration noticePollInterval,
        int historySize) {
      this(
          javaHome,
          workerJar,
          sqsEndpoint,
          dataDir,
          stopGrace,
          extraArgs,
          noticePollInterval,
          historySize,
          Map.of(),
          null,
          null);
    }

    /** With the default notice poll interval and history size, too. */
    public Options(
        Path javaHome,
        Path workerJar,
        String sqsEndpoint,
        Path dataDir,
        Duration stopGrace,
        List<String> extraArgs) {
      this(javaHome, workerJar, sqsEndpoint, dataDir, stopGrace, extraArgs, null, 0);
    }
  }

  private static final Logger log = LoggerFactory.getLogger(LocalProcessFleet.class);

  private final Options options;
  private final Clock clock;
  private final ScheduledExecutorService timer;
  private final WorkerCommand command;
  private final ProcessSupervisor supervisor;
  private final Interrupter interrupter;
  private final HealthPoller health;

  public LocalProcessFleet(Options options, Launcher launcher, Clock clock) {
    this(options, launcher, clock, HealthProbe.none(), LocalProcessFleet::freePortNow);
  }

  public LocalProcessFleet(
      Options options, Launcher launcher, Clock clock, HealthProbe health, PortAllocator ports) {
    this.options = options;
    this.clock = clock;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "spotbatch-fleet-deadlines");
              t.setDaemon(true);
              return t;
            });
    this.command = new WorkerCommand(options);
    this.supervisor = new ProcessSupervisor(options, command, launcher, ports, clock, timer);
    this.interrupter = new Interrupter(supervisor, clock, timer);
    this.health = new HealthPoller(supervisor, health);
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

  /** A port that was free a moment ago (the worker binds it soon after). */
  public static int freePortNow() {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port for a worker: " + e.getMessage(), e);
    }
  }

  @Override
  public String name() {
    return LocalInstance.PROVIDER;
  }

  @Override
  public List<Pool> pools() {
    return List.of(supervisor.pools().spot(), supervisor.pools().onDemand());
  }

  @Override
  public int desired(Pool pool) {
    return supervisor.desired(pool);
  }

  @Override
  public void setDesired(Pool pool, int count) {
    supervisor.setDesired(pool, count);
  }

  /**
   * Stops an idle worker with SIGTERM and lowers its pool's count, if it still runs without a
   * notice and its last health said it holds no lease.
   */
  @Override
  public boolean scaleIn(Pool pool, String workerId) {
    return supervisor.scaleIn(pool, workerId);
  }

  /**
   * Asks a busy surplus worker to stop leasing (a rebalance recommendation on its metadata
   * endpoint): it finishes its items and exits; its pool's count drops by one at once.
   */
  @Override
  public boolean stopLeasing(Pool pool, String workerId) {
    return supervisor.stopLeasing(pool, workerId);
  }

  @Override
  public Optional<Pool> poolOf(WorkerView worker) {
    return supervisor.poolOf(worker.id());
  }

  /** Who sizes this fleet. */
  public FleetSizing sizing() {
    return supervisor.sizing();
  }

  @Override
  public int desired() {
    return supervisor.desired();
  }

  /** Asks for {@code count} workers in the spot pool (a fixed fleet has no other). */
  public void setDesired(int count) {
    supervisor.setDesired(count);
  }

  /** Launches missing workers, replaces lost ones, stops those above the desired count. */
  public void supervise() {
    supervisor.supervise();
  }

  /** Reads every live worker's health. */
  @Override
  public void refresh() {
    health.refresh();
  }

  @Override
  public List<WorkerView> workers() {
    return supervisor.views();
  }

  /**
   * Interrupts worker {@code workerId}'s current process the way a cloud would.
   *
   * @param deadline for spot, lifecycle and sigterm: how long until the process is killed (null:
   *     the kind's default); ignored for rebalance and kill
   * @throws FleetExceptions.UnknownWorkerException if no worker has this id
   * @throws FleetExceptions.WorkerNotInterruptibleException if it has no live process or one
   *     already interrupted
   */
  @Override
  public Interruption interrupt(String workerId, InterruptKind kind, Duration deadline) {
    return interrupter.interrupt(workerId, kind, deadline);
  }

  @Override
  public Map<String, Long> interruptions() {
    return interrupter.counts();
  }

  /**
   * Prepares the worker's class-data archive under {@link Options#classDataDir()} (once per worker
   * jar) with the real runner, so workers boot faster. With a class-data directory no worker is
   * launched until this has run; without one it does nothing. Never throws: without an archive,
   * workers start from the jar.
   */
  public void prepareClassData() {
    prepareClassData(WorkerClassData::runProcess);
  }

  /** {@link #prepareClassData()} with the given runner (tests). */
  public void prepareClassData(WorkerClassData.Runner runner) {
    try {
      if (options.classDataDir() != null && Files.isRegularFile(options.workerJar())) {
        prepareNow(runner).ifPresent(command::useClassData);
      }
    } finally {
      supervisor.releaseLaunches();
      supervisor.supervise();
    }
  }

  private Optional<WorkerClassData.Prepared> prepareNow(WorkerClassData.Runner runner) {
    // the training run builds the worker's context as a worker would: its own metadata endpoint
    try (LocalImdsServer imds =
        LocalInstance.startMetadata(LocalInstance.TRAINING_ID, supervisor.pools().spot(), clock)) {
      return WorkerClassData.prepare(
          command.java(),
          options.workerJar(),
          options.classDataDir(),
          options.jvmArgs(),
          jar -> command.trainingArgs(),
          command.trainingEnvironment(imds.endpoint()),
          runner,
          Duration.ofMinutes(3));
    } catch (RuntimeException e) {
      log.warn("cannot prepare the worker class-data archive: {}", e.toString());
      return Optional.empty();
    }
  }

  /** The prepared archive, if any (tests, diagnostics). */
  public Optional<WorkerClassData.Prepared> classData() {
    return command.classData();
  }

  /** The command line for worker {@code n} with its Actuator on {@code managementPort}. */
  public List<String> command(int n, int managementPort) {
    return command.command(n, managementPort);
  }

  public Path logFile(int n) {
    return command.logFile(n);
  }

  /** The metadata server of a worker's current process (tests, diagnostics). */
  public Optional<LocalImdsServer> metadataServer(String workerId) {
    return supervisor.metadataServer(workerId);
  }

  /** The current process of a worker (tests, diagnostics). */
  public Optional<Process> process(String workerId) {
    return supervisor.current(workerId).map(p -> p.process);
  }

  /** Sends SIGTERM to every worker, waits up to the grace period, then kills the rest. */
  @Override
  public void close() {
    if (supervisor.close()) {
      timer.shutdownNow();
    }
  }
}
