package dev.spotbatch.dispatcher.fleet.local;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a local worker process is started with: its command line (JVM options, the class-data
 * archive once prepared, the worker's settings) and its environment (its own metadata endpoint).
 * Thread-safe.
 */
public final class WorkerCommand {
  private final LocalProcessFleet.Options options;
  private volatile WorkerClassData.Prepared classData;

  WorkerCommand(LocalProcessFleet.Options options) {
    this.options = options;
  }

  /** The command line for worker {@code n} with its Actuator on {@code managementPort}. */
  public List<String> command(int n, int managementPort) {
    List<String> c = new ArrayList<>();
    c.add(java().toString());
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

  /** A worker's environment: the configured extras and its own metadata endpoint. */
  Map<String, String> environment(URI metadataEndpoint) {
    Map<String, String> env = new LinkedHashMap<>(options.extraEnvironment());
    env.putAll(trainingEnvironment(metadataEndpoint));
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
    List<String> all = command(0, 0);
    int jar = all.indexOf("-jar");
    return List.copyOf(all.subList(jar + 2, all.size()));
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
