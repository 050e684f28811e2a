package dev.spotbatch.dispatcher.fleet.local;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a local worker process is started with: its command line (JVM options, the class-data
 * archive once prepared, the worker's settings) and its environment (its own metadata endpoint).
 *
 * <p>Workers start through {@code docker/entrypoint.sh}, the script the images run as their
 * ENTRYPOINT, so the embedded default and every test that runs a local fleet exercise it: {@code sh
 * entrypoint.sh <worker settings>} with {@code JAVA_HOME}, {@code APP_JAR} (the jar, or the
 * class-data jar once prepared) and {@code JAVA_OPTS} (the configured JVM options and the archive)
 * in the environment; the script {@code exec}s java, so the process is the JVM itself and a SIGTERM
 * reaches its drain. The script is found where the images keep it (beside the jar) or in the
 * repository the jar was built in ({@code <repo>/docker/entrypoint.sh} for {@code
 * <repo>/worker/target/*.jar}). Without it, or when a JVM option holds whitespace (the script
 * splits {@code JAVA_OPTS} on spaces), java is started directly with the same options. Thread-safe.
 */
public final class WorkerCommand {
  private static final Logger log = LoggerFactory.getLogger(WorkerCommand.class);

  /** Heap share of the machine: the JVM's own default outside a container (the script's is 75). */
  static final String LOCAL_MAX_RAM_PERCENTAGE = "25";

  private final LocalProcessFleet.Options options;
  private final Path entrypoint;
  private volatile WorkerClassData.Prepared classData;

  WorkerCommand(LocalProcessFleet.Options options) {
    this.options = options;
    this.entrypoint = entrypointFor(options.workerJar()).orElse(null);
    if (entrypoint == null) {
      log.info(
          "no entrypoint.sh beside {} or in its repository: workers start java directly",
          options.workerJar());
    } else {
      log.info("workers start through {}", entrypoint);
    }
  }

  /**
   * The images' entrypoint script for {@code workerJar}: {@code entrypoint.sh} beside it (the
   * images' {@code /app} layout), else {@code docker/entrypoint.sh} of the repository whose {@code
   * worker/target} holds it.
   */
  static Optional<Path> entrypointFor(Path workerJar) {
    if (workerJar == null) {
      return Optional.empty();
    }
    Path jar = workerJar.toAbsolutePath().normalize();
    List<Path> candidates = new ArrayList<>();
    candidates.add(jar.resolveSibling("entrypoint.sh"));
    Path target = jar.getParent();
    if (target != null && target.getParent() != null && target.getParent().getParent() != null) {
      candidates.add(target.getParent().getParent().resolve("docker").resolve("entrypoint.sh"));
    }
    return candidates.stream().filter(Files::isRegularFile).findFirst();
  }

  /** The command line for worker {@code n} with its Actuator on {@code managementPort}. */
  public List<String> command(int n, int managementPort) {
    WorkerClassData.Prepared cds = classData;
    List<String> c = new ArrayList<>();
    if (throughEntrypoint(cds)) {
      c.add("sh");
      c.add(entrypoint.toString());
    } else {
      c.add(java().toString());
      c.addAll(jvmOptions(cds));
      c.add("-jar");
      c.add(jar(cds).toString());
    }
    c.addAll(workerArgs(n, managementPort));
    return c;
  }

  /** The script that starts workers; empty when they start java directly. */
  public Optional<Path> entrypoint() {
    return Optional.ofNullable(entrypoint);
  }

  private boolean throughEntrypoint(WorkerClassData.Prepared cds) {
    if (entrypoint == null) {
      return false;
    }
    for (String o : jvmOptions(cds)) {
      if (o.chars().anyMatch(Character::isWhitespace)) {
        return false; // JAVA_OPTS is split on spaces: this option would break
      }
    }
    return true;
  }

  private List<String> jvmOptions(WorkerClassData.Prepared cds) {
    List<String> o = new ArrayList<>();
    o.add("-Dai.djl.offline=true");
    o.addAll(options.jvmArgs());
    if (cds != null) {
      o.add(cds.jvmArg());
    }
    return o;
  }

  private Path jar(WorkerClassData.Prepared cds) {
    return cds != null ? cds.jar() : options.workerJar();
  }

  /** The worker's own settings: what follows {@code -jar <jar>}. */
  private List<String> workerArgs(int n, int managementPort) {
    List<String> c = new ArrayList<>();
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

  /** A worker's environment: the configured extras and its own metadata endpoint. */
  Map<String, String> environment(URI metadataEndpoint) {
    Map<String, String> env = new LinkedHashMap<>(options.extraEnvironment());
    env.putAll(trainingEnvironment(metadataEndpoint));
    WorkerClassData.Prepared cds = classData;
    if (throughEntrypoint(cds)) {
      // what the script turns into the java command line (the images set the same variables)
      env.put("JAVA_HOME", options.javaHome().toString());
      env.put("APP_JAR", jar(cds).toString());
      List<String> opts = jvmOptions(cds);
      // the script adds -Dai.djl.offline=true itself
      env.put("JAVA_OPTS", String.join(" ", opts.subList(1, opts.size())));
      env.putIfAbsent("JVM_MAX_RAM_PERCENTAGE", LOCAL_MAX_RAM_PERCENTAGE);
    }
    return env;
  }

  /** The class-data training run's environment: a metadata endpoint, no configured extras. */
  Map<String, String> trainingEnvironment(URI metadataEndpoint) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("OPT_OUT_TRACKING", "true");
    env.put("AWS_EC2_METADATA_SERVICE_ENDPOINT", metadataEndpoint.toString());
    return env;
  }

  /** The program arguments of a worker ({@code local-0}, any free port), for the training run. */
  List<String> trainingArgs() {
    return List.copyOf(workerArgs(0, 0));
  }

  /** Where worker {@code n}'s output goes. */
  public Path logFile(int n) {
    return options.dataDir().resolve("logs").resolve("worker-local-" + n + ".log");
  }

  Path java() {
    return options.javaHome().resolve("bin").resolve("java");
  }

  /** Starts later workers from the prepared archive. */
  void useClassData(WorkerClassData.Prepared prepared) {
    classData = prepared;
  }

  Optional<WorkerClassData.Prepared> classData() {
    return Optional.ofNullable(classData);
  }
}
