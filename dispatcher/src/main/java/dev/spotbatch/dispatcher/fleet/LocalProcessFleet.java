package dev.spotbatch.dispatcher.fleet;

import dev.spotbatch.dispatcher.fleet.FleetExceptions.UnknownWorkerException;
import dev.spotbatch.dispatcher.fleet.FleetExceptions.WorkerNotInterruptibleException;
import dev.spotbatch.localcloud.LocalImdsServer;
import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.Lifecycle;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workers as separate JVMs on this machine (the embedded default). Each worker slot {@code
 * local-<n>} runs one process at a time; every process gets its own instance identity ({@code
 * i-local-<n>-<generation>}, a spot instance) served by its own {@link LocalImdsServer}, which the
 * worker polls for notices exactly as on EC2 ({@code AWS_EC2_METADATA_SERVICE_ENDPOINT}), and its
 * own Actuator port, which the fleet reads for health and leases.
 *
 * <p>A process that exits (crashed, interrupted, killed) is replaced by a new process with a new
 * identity and a new metadata endpoint; each slot keeps a bounded history of its ended processes.
 * {@link #interrupt} takes a worker away the way a cloud would (spot notice, rebalance
 * recommendation, lifecycle termination, SIGTERM, SIGKILL) and enforces the deadline: a process
 * still alive at its deadline is killed. On {@link #close()} every worker gets SIGTERM, then the
 * grace period, then SIGKILL. Each worker's output goes to {@code <logDir>/worker-local-<n>.log}.
 * Thread-safe.
 */
public final class LocalProcessFleet implements CapacityProvider {
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
   * @param extraArgs appended to every worker's command line (e.g. the queue type, Kafka bootstrap
   *     servers, non-default queue names)
   * @param noticePollInterval how often workers poll their metadata endpoint
   * @param historySize ended processes kept per worker slot
   * @param extraEnvironment added to every worker's environment (settings that must not show on a
   *     command line, e.g. Kafka client security properties)
   * @param jvmArgs JVM options of every worker process (e.g. {@code -XX:TieredStopAtLevel=1})
   * @param classDataDir where {@link #prepareClassData()} keeps the worker's class-data archive
   *     (null: workers start from the jar as it is)
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
      Path classDataDir) {
    public Options {
      extraArgs = extraArgs == null ? List.of() : List.copyOf(extraArgs);
      noticePollInterval = noticePollInterval == null ? Duration.ofMillis(500) : noticePollInterval;
      historySize = historySize <= 0 ? 10 : historySize;
      extraEnvironment = extraEnvironment == null ? Map.of() : Map.copyOf(extraEnvironment);
      jvmArgs = jvmArgs == null ? List.of() : List.copyOf(jvmArgs);
    }

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

  static final String INSTANCE_TYPE = "local.2xcpu";
  static final String REGION = "local-1";
  static final String ZONE = "local-1a";

  /** A process that has not answered its health check for this long still counts as running. */
  static final Duration STARTUP_GRACE = Duration.ofSeconds(90);

  private static final Logger log = LoggerFactory.getLogger(LocalProcessFleet.class);

  private final Options options;
  private final Launcher launcher;
  private final Clock clock;
  private final HealthProbe health;
  private final PortAllocator ports;
  private final ScheduledExecutorService timer;
  private final Map<Integer, Slot> slots = new TreeMap<>();
  private final EnumMap<InterruptKind, Long> interruptions = new EnumMap<>(InterruptKind.class);
  private int desired;
  private boolean closed;
  private volatile WorkerClassData.Prepared classData;
  private boolean launchesHeld;

  /** One worker slot: a stable id and a succession of processes. */
  private static final class Slot {
    final int n;
    int generation;
    int restarts;
    int crashes;
    Instant notBefore;
    Proc current;
    final Deque<PastInstance> history = new ArrayDeque<>();

    Slot(int n) {
      this.n = n;
    }

    String id() {
      return "local-" + n;
    }
  }

  /** One process of a slot. */
  private static final class Proc {
    final int generation;
    final InstanceFacts facts;
    final LocalImdsServer imds;
    final int port;
    final Process process;
    final Instant startedAt;
    Interruption interruption;
    ScheduledFuture<?> enforcement;
    boolean stopping;
    boolean killedAtDeadline;
    boolean ended;
    WorkerHealth health;
    boolean everHealthy;

    Proc(
        int generation,
        InstanceFacts facts,
        LocalImdsServer imds,
        int port,
        Process process,
        Instant startedAt) {
      this.generation = generation;
      this.facts = facts;
      this.imds = imds;
      this.port = port;
      this.process = process;
      this.startedAt = startedAt;
    }

    boolean pending() {
      return interruption != null && interruption.kind() != InterruptKind.REBALANCE;
    }
  }

  public LocalProcessFleet(Options options, Launcher launcher, Clock clock) {
    this(options, launcher, clock, HealthProbe.none(), LocalProcessFleet::freePortNow);
  }

  public LocalProcessFleet(
      Options options, Launcher launcher, Clock clock, HealthProbe health, PortAllocator ports) {
    this.options = options;
    this.launcher = launcher;
    this.clock = clock;
    this.health = health;
    this.ports = ports;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "spotbatch-fleet-deadlines");
              t.setDaemon(true);
              return t;
            });
    for (InterruptKind k : InterruptKind.values()) {
      interruptions.put(k, 0L);
    }
    this.launchesHeld = options.classDataDir() != null;
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

  /** The command line for worker {@code n} with its Actuator on {@code managementPort}. */
  public List<String> command(int n, int managementPort) {
    List<String> c = new ArrayList<>();
    c.add(options.javaHome().resolve("bin").resolve("java").toString());
    c.add("-Dai.djl.offline=true");
    c.addAll(options.jvmArgs());
    WorkerClassData.Prepared cds = classData;
    if (cds != null) {
      c.add(cds.jvmArg());
    }
    c.add("-jar");
    c.add(cds != null ? cds.jar().toString() : options.workerJar().toString());
    c.add("--spotbatch.worker.id=local-" + n);
    c.add("--server.port=" + managementPort);
    if (options.sqsEndpoint() != null) {
      c.add("--spring.cloud.aws.sqs.endpoint=" + options.sqsEndpoint());
    }
    // the local identity of the AWS clients (S3 wants a region even when the queues are not on SQS)
    c.add("--spring.cloud.aws.region.static=us-east-1");
    c.add("--spring.cloud.aws.credentials.access-key=local");
    c.add("--spring.cloud.aws.credentials.secret-key=local");
    String root = options.dataDir().toAbsolutePath().normalize().toString();
    c.add("--spotbatch.worker.allowed-roots=file://" + (root.endsWith("/") ? root : root + "/"));
    c.add("--spotbatch.worker.notice.provider=aws");
    c.add(
        "--spotbatch.worker.notice.poll-interval="
            + options.noticePollInterval().toMillis()
            + "ms");
    c.addAll(options.extraArgs());
    return c;
  }

  /**
   * Prepares the worker's class-data archive under {@link Options#classDataDir()} (once per worker
   * jar; about 10-15 s the first time) with the real runner, so workers boot faster. With a
   * class-data directory no worker is launched until this has run; without one it does nothing.
   * Never throws: without an archive, workers start from the jar.
   */
  public void prepareClassData() {
    prepareClassData(WorkerClassData::runProcess);
  }

  /** {@link #prepareClassData()} with the given runner (tests). */
  public void prepareClassData(WorkerClassData.Runner runner) {
    try {
      if (options.classDataDir() != null && Files.isRegularFile(options.workerJar())) {
        classData = prepareNow(runner);
      }
    } finally {
      synchronized (this) {
        launchesHeld = false;
      }
      supervise();
    }
  }

  private WorkerClassData.Prepared prepareNow(WorkerClassData.Runner runner) {
    InstanceFacts facts =
        new InstanceFacts(
            "local", "i-local-0-training", INSTANCE_TYPE, REGION, ZONE, Lifecycle.SPOT);
    // the training run builds the worker's context as a worker would: its own metadata endpoint
    try (LocalImdsServer imds = LocalImdsServer.start(facts, clock)) {
      Map<String, String> env = new LinkedHashMap<>();
      env.put("OPT_OUT_TRACKING", "true");
      env.put("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.endpoint().toString());
      Path java = options.javaHome().resolve("bin").resolve("java");
      return WorkerClassData.prepare(
              java,
              options.workerJar(),
              options.classDataDir(),
              options.jvmArgs(),
              jar -> trainingArgs(),
              env,
              runner,
              Duration.ofMinutes(3))
          .orElse(null);
    } catch (RuntimeException e) {
      log.warn("cannot prepare the worker class-data archive: {}", e.toString());
      return null;
    }
  }

  /** The program arguments of a worker ({@code local-0}, any free port), for the training run. */
  private List<String> trainingArgs() {
    List<String> all = command(0, 0);
    int jar = all.indexOf("-jar");
    return List.copyOf(all.subList(jar + 2, all.size()));
  }

  /** The prepared archive, if any (tests, diagnostics). */
  public Optional<WorkerClassData.Prepared> classData() {
    return Optional.ofNullable(classData);
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

  /** Launches missing workers, replaces lost ones, stops those above the desired count. */
  public synchronized void supervise() {
    if (closed) {
      return;
    }
    Instant now = clock.instant();
    for (int n = 1; n <= desired; n++) {
      Slot s = slots.computeIfAbsent(n, Slot::new);
      Proc p = s.current;
      if (p != null && !p.process.isAlive()) {
        ended(s, p);
      }
      if (p == null || (p.ended && !p.stopping)) {
        if (launchesHeld || (s.notBefore != null && now.isBefore(s.notBefore))) {
          continue;
        }
        if (p != null) {
          s.restarts++;
          log.info("replacing worker {} (instance {} is gone)", s.id(), p.facts.instanceId());
        }
        start(s);
      }
    }
    for (Slot s : new ArrayList<>(slots.values())) {
      if (s.n > desired) {
        stop(List.of(s));
        slots.remove(s.n);
      }
    }
  }

  private void start(Slot s) {
    if (!Files.isRegularFile(options.workerJar())) {
      log.error(
          "cannot start worker {}: worker jar {} not found (set spotbatch.fleet.local.worker-jar)",
          s.id(),
          options.workerJar());
      s.notBefore = clock.instant().plusSeconds(30);
      return;
    }
    int generation = s.generation + 1;
    InstanceFacts facts =
        new InstanceFacts(
            "local",
            "i-local-" + s.n + "-" + generation,
            INSTANCE_TYPE,
            REGION,
            ZONE,
            Lifecycle.SPOT);
    LocalImdsServer imds = null;
    try {
      imds = LocalImdsServer.start(facts, clock);
      int port = ports.freePort();
      Map<String, String> env = new LinkedHashMap<>(options.extraEnvironment());
      env.put("OPT_OUT_TRACKING", "true");
      env.put("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.endpoint().toString());
      Process process = launcher.launch(command(s.n, port), env, logFile(s.n));
      Proc p = new Proc(generation, facts, imds, port, process, clock.instant());
      s.generation = generation;
      s.current = p;
      s.notBefore = null;
      process.onExit().whenComplete((x, e) -> onExit(s, p));
      log.info(
          "worker {} started as {}: pid {}, metadata {}, management port {}, log {}",
          s.id(),
          facts.instanceId(),
          process.pid(),
          imds.endpoint(),
          port,
          logFile(s.n));
    } catch (IOException | RuntimeException e) {
      log.error("cannot start worker {}", s.id(), e);
      if (imds != null) {
        closeQuietly(imds);
      }
      s.notBefore = clock.instant().plusSeconds(5);
    }
  }

  private void onExit(Slot s, Proc p) {
    boolean replace;
    synchronized (this) {
      ended(s, p);
      replace = !closed && !p.stopping && s.current == p;
    }
    if (replace) {
      Duration delay = restartDelay(s);
      try {
        timer.schedule(this::supervise, delay.toMillis() + 50, TimeUnit.MILLISECONDS);
      } catch (RuntimeException e) {
        // the fleet is closing
      }
    }
  }

  private synchronized Duration restartDelay(Slot s) {
    return s.notBefore == null ? Duration.ZERO : Duration.between(clock.instant(), s.notBefore);
  }

  /** Records the end of a process once: history, IMDS closed, deadline cancelled, backoff. */
  private void ended(Slot s, Proc p) {
    if (p.ended) {
      return;
    }
    p.ended = true;
    Instant at = clock.instant();
    Integer code = null;
    try {
      code = p.process.exitValue();
    } catch (IllegalThreadStateException e) {
      // not really gone yet
    }
    if (p.enforcement != null) {
      p.enforcement.cancel(false);
    }
    closeQuietly(p.imds);
    Boolean beforeDeadline = null;
    if (p.interruption != null && p.interruption.deadline() != null) {
      beforeDeadline = !p.killedAtDeadline && !at.isAfter(p.interruption.deadline());
    }
    s.history.addFirst(
        new PastInstance(
            p.facts.instanceId(),
            p.generation,
            p.process.pid(),
            p.startedAt,
            at,
            code,
            p.interruption,
            beforeDeadline,
            p.killedAtDeadline));
    while (s.history.size() > options.historySize()) {
      s.history.removeLast();
    }
    if (p.stopping) {
      log.info("worker {} ({}) stopped with exit code {}", s.id(), p.facts.instanceId(), code);
      return;
    }
    if (p.interruption != null) {
      s.crashes = 0;
      s.notBefore = at.plusSeconds(1);
      log.info(
          "worker {} ({}) exited with {} after interruption {}{}",
          s.id(),
          p.facts.instanceId(),
          code,
          p.interruption.kind().apiName(),
          beforeDeadline == null
              ? ""
              : beforeDeadline ? ", before its deadline" : ", NOT before its deadline");
    } else {
      s.crashes = p.everHealthy ? 0 : s.crashes + 1;
      long backoff = Math.min(30, 1L << Math.min(s.crashes, 5));
      s.notBefore = at.plusSeconds(s.crashes == 0 ? 1 : backoff);
      log.warn(
          "worker {} ({}) exited unexpectedly with {}; replacing it in {} s",
          s.id(),
          p.facts.instanceId(),
          code,
          s.crashes == 0 ? 1 : backoff);
    }
  }

  /**
   * Interrupts worker {@code workerId}'s current process.
   *
   * @param deadline for spot, lifecycle and sigterm: how long until the process is killed (null:
   *     the kind's default); ignored for rebalance and kill
   * @throws UnknownWorkerException if no worker has this id
   * @throws WorkerNotInterruptibleException if it has no live process or one already interrupted
   */
  public synchronized Interruption interrupt(
      String workerId, InterruptKind kind, Duration deadline) {
    Slot s = slotOf(workerId);
    if (s == null) {
      throw new UnknownWorkerException(
          workerId,
          "no worker '" + workerId + "'; the workers are " + ids() + " (GET /api/v1/fleet)");
    }
    Proc p = s.current;
    if (closed || p == null || p.ended || p.stopping || !p.process.isAlive()) {
      throw new WorkerNotInterruptibleException(
          workerId, "worker " + workerId + " has no running process now; wait for its replacement");
    }
    if (p.pending()) {
      throw new WorkerNotInterruptibleException(
          workerId,
          "worker "
              + workerId
              + " ("
              + p.facts.instanceId()
              + ") is already interrupted ("
              + p.interruption.kind().apiName()
              + ", deadline "
              + p.interruption.deadline()
              + ")");
    }
    Instant now = clock.instant();
    Instant until = null;
    if (kind.hasDeadline()) {
      Duration d = deadline == null ? kind.defaultDeadline() : deadline;
      // the metadata service reports whole seconds: round up (the worker gets at least d) and
      // enforce exactly what the worker is told
      Instant exact = now.plus(d);
      until = exact.truncatedTo(ChronoUnit.SECONDS);
      if (until.isBefore(exact)) {
        until = until.plusSeconds(1);
      }
    }
    Interruption i = new Interruption(workerId, p.facts.instanceId(), kind, now, until);
    switch (kind) {
      case SPOT:
        p.imds.announceSpotInterruption(until);
        break;
      case REBALANCE:
        p.imds.announceRebalanceRecommendation();
        break;
      case LIFECYCLE:
        p.imds.announceLifecycleTermination();
        break;
      case SIGTERM:
        p.process.destroy();
        break;
      case KILL:
        p.process.destroyForcibly();
        break;
      default:
        throw new IllegalArgumentException("unknown kind " + kind);
    }
    if (kind != InterruptKind.REBALANCE || p.interruption == null) {
      p.interruption = i;
    }
    interruptions.merge(kind, 1L, Long::sum);
    if (until != null) {
      long delay = Math.max(0, Duration.between(clock.instant(), until).toMillis());
      p.enforcement = timer.schedule(() -> enforce(s, p), delay, TimeUnit.MILLISECONDS);
    }
    log.info(
        "interrupted worker {} ({}, pid {}): {}{}",
        workerId,
        p.facts.instanceId(),
        p.process.pid(),
        kind.apiName(),
        until == null ? "" : ", deadline " + until);
    return i;
  }

  private static void closeQuietly(LocalImdsServer imds) {
    try {
      imds.close();
    } catch (RuntimeException e) {
      log.debug("closing a metadata endpoint failed", e);
    }
  }

  /** At the deadline: what AWS does to an instance that is still running. */
  private synchronized void enforce(Slot s, Proc p) {
    if (p.ended || !p.process.isAlive()) {
      return;
    }
    p.killedAtDeadline = true;
    log.warn(
        "worker {} ({}) is still alive at its deadline {}; killing it",
        s.id(),
        p.facts.instanceId(),
        p.interruption == null ? null : p.interruption.deadline());
    p.process.destroyForcibly();
  }

  /** Interruptions so far, by kind ({@code spot, rebalance, lifecycle, sigterm, kill}). */
  public synchronized Map<String, Long> interruptionCounts() {
    Map<String, Long> out = new LinkedHashMap<>();
    interruptions.forEach((k, v) -> out.put(k.apiName(), v));
    return out;
  }

  /** The metadata server of a worker's current process (tests, diagnostics). */
  public synchronized Optional<LocalImdsServer> metadataServer(String workerId) {
    Slot s = slotOf(workerId);
    return s == null || s.current == null || s.current.ended
        ? Optional.empty()
        : Optional.of(s.current.imds);
  }

  /** The current process of a worker (tests, diagnostics). */
  public synchronized Optional<Process> process(String workerId) {
    Slot s = slotOf(workerId);
    return s == null || s.current == null ? Optional.empty() : Optional.of(s.current.process);
  }

  private Slot slotOf(String workerId) {
    if (workerId == null || !workerId.startsWith("local-")) {
      return null;
    }
    try {
      return slots.get(Integer.parseInt(workerId.substring("local-".length())));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private List<String> ids() {
    List<String> ids = new ArrayList<>();
    slots.values().forEach(s -> ids.add(s.id()));
    return ids;
  }

  /**
   * Asks every live worker for its health (in parallel, each within the probe's timeout) and keeps
   * the answers for {@link #workers()}. Never throws.
   */
  public void refreshHealth() {
    record Target(Slot slot, Proc proc, CompletableFuture<Optional<WorkerHealth>> answer) {}
    List<Target> targets = new ArrayList<>();
    synchronized (this) {
      for (Slot s : slots.values()) {
        Proc p = s.current;
        if (p != null && !p.ended && p.process.isAlive()) {
          try {
            targets.add(new Target(s, p, health.probe(p.port)));
          } catch (RuntimeException e) {
            log.debug("health probe of {} failed", s.id(), e);
          }
        }
      }
    }
    for (Target t : targets) {
      Optional<WorkerHealth> h;
      try {
        h = t.answer().get(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (TimeoutException | java.util.concurrent.ExecutionException | RuntimeException e) {
        h = Optional.empty();
      }
      synchronized (this) {
        t.proc().health = h.orElse(null);
        if (h.isPresent() && h.get().up()) {
          t.proc().everHealthy = true;
          t.slot().crashes = 0;
        }
      }
    }
  }

  @Override
  public synchronized List<WorkerView> workers() {
    List<WorkerView> out = new ArrayList<>();
    Instant now = clock.instant();
    for (Slot s : slots.values()) {
      Proc p = s.current;
      List<PastInstance> history = List.copyOf(s.history);
      if (p == null) {
        out.add(
            new WorkerView(
                s.id(),
                WorkerState.STOPPED,
                null,
                null,
                s.restarts,
                s.generation,
                null,
                null,
                null,
                null,
                null,
                null,
                history));
        continue;
      }
      boolean alive = !p.ended && p.process.isAlive();
      WorkerState state;
      if (!alive) {
        state = p.stopping ? WorkerState.STOPPED : WorkerState.LOST;
      } else if (p.pending()
          || p.stopping
          || (p.health != null && Boolean.TRUE.equals(p.health.draining()))
          || (p.everHealthy && p.health != null && !p.health.up())) {
        state = WorkerState.DRAINING;
      } else if (p.everHealthy || !now.isBefore(p.startedAt.plus(STARTUP_GRACE))) {
        state = WorkerState.RUNNING;
      } else {
        state = WorkerState.STARTING;
      }
      WorkerHealth h = alive ? p.health : null;
      out.add(
          new WorkerView(
              s.id(),
              state,
              p.process.pid(),
              p.startedAt,
              s.restarts,
              p.generation,
              p.facts,
              alive ? p.imds.endpoint().toString() : null,
              p.port,
              h == null ? null : h.leases(),
              h == null ? null : h.activeLeases(),
              alive ? p.interruption : null,
              history));
    }
    return out;
  }

  /** Sends SIGTERM to every worker, waits up to the grace period, then kills the rest. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      stop(new ArrayList<>(slots.values()));
    }
    timer.shutdownNow();
  }

  private void stop(List<Slot> list) {
    List<Proc> procs = new ArrayList<>();
    for (Slot s : list) {
      if (s.current != null && !s.current.ended) {
        procs.add(s.current);
      }
    }
    try {
      for (Proc p : procs) {
        p.stopping = true;
        if (p.process.isAlive()) {
          p.process.destroy(); // SIGTERM: the worker drains
        }
      }
      long deadline = System.nanoTime() + options.stopGrace().toNanos();
      for (Proc p : procs) {
        long left = Math.max(0, deadline - System.nanoTime());
        if (!p.process.waitFor(left, TimeUnit.NANOSECONDS)) {
          log.warn(
              "worker {} did not stop within {}; killing it",
              p.facts.instanceId(),
              options.stopGrace());
          p.process.destroyForcibly();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      procs.forEach(p -> p.process.destroyForcibly());
    } catch (RuntimeException e) {
      log.warn("stopping workers failed", e);
    } finally {
      for (Slot s : list) {
        if (s.current != null && !s.current.process.isAlive()) {
          ended(s, s.current);
        } else if (s.current != null) {
          closeQuietly(s.current.imds);
        }
      }
    }
  }
}
