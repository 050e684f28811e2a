package dev.spotbatch.worker.config;

import dev.spotbatch.drain.DrainSettings;
import dev.spotbatch.drain.RebalancePolicy;
import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.Lifecycle;
import dev.spotbatch.store.StorageRoots;
import dev.spotbatch.store.StoreUri;
import dev.spotbatch.worker.inference.MiniLmOnnxModel;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The worker's settings ({@code spotbatch.worker.*}), validated once at startup.
 *
 * @param id worker id in events and logs; default: the host name, else a random id
 * @param concurrency items worked on at once (lease slots)
 * @param inferenceThreads threads running model batches, each with its own predictor
 * @param intraOpThreads ONNX Runtime threads per batch; default: available processors
 * @param batchSize records per model batch
 * @param maxBatchDelay how long a batch waits to fill after its first record
 * @param leaseTime lease (visibility) time, extended by the heartbeat
 * @param heartbeatInterval how often active leases are extended; must be under half the lease time
 * @param pollWait long-poll wait for new leases
 * @param retryBaseDelay backoff after the first failure (doubles per failure)
 * @param retryMaxDelay backoff cap (also capped by the queue's own limit)
 * @param shutdownGrace how long a stop waits for running items
 * @param allowedRoots the locations items may read and write ({@code file:///...}, {@code
 *     s3://bucket/prefix}); the {@code file} ones are the local object store's roots; at least one
 *     is required (an item outside them fails terminally)
 * @param modelCacheDir where model files are extracted
 * @param tempDir where parts are staged before upload
 * @param instance the facts events carry about this machine; default: local facts
 * @param models extra ONNX embedding models by name
 * @param drain the deadline-aware drain ({@code spotbatch.worker.drain.*})
 * @param preloadModels models loaded and run once before the worker leases anything and reports
 *     ready; default: the built-in {@code all-minilm-l6-v2}; empty: load on first use
 * @param maxRecordsPerSecond a cap on the records this worker runs through its models per second
 *     (all models together); 0, the default, for none
 */
@ConfigurationProperties("spotbatch.worker")
public record WorkerProperties(
    String id,
    @DefaultValue("2") int concurrency,
    @DefaultValue("1") int inferenceThreads,
    Integer intraOpThreads,
    @DefaultValue("32") int batchSize,
    @DefaultValue("20ms") Duration maxBatchDelay,
    @DefaultValue("60s") Duration leaseTime,
    @DefaultValue("20s") Duration heartbeatInterval,
    @DefaultValue("10s") Duration pollWait,
    @DefaultValue("5s") Duration retryBaseDelay,
    @DefaultValue("15m") Duration retryMaxDelay,
    @DefaultValue("30s") Duration shutdownGrace,
    List<String> allowedRoots,
    Path modelCacheDir,
    Path tempDir,
    Instance instance,
    Map<String, ModelSpec> models,
    Drain drain,
    List<String> preloadModels,
    @DefaultValue("0") double maxRecordsPerSecond) {
  static final String ALLOWED_ROOTS = "spotbatch.worker.allowed-roots";

  /**
   * The drain after a termination notice ({@code spotbatch.worker.drain.*}). The three margins
   * place the drain's last steps before the deadline, latest last: {@code safety-margin >=
   * abandon-margin >= exit-margin}.
   *
   * @param safetyMargin running work must end this long before the deadline (commit, events, exit):
   *     then what still runs is told to checkpoint
   * @param rebalancePolicy what a rebalance recommendation does: {@code ignore}, {@code
   *     stop-leasing}, {@code stop-leasing-then-exit} (the default: the machine is replaced once
   *     its items are done) or {@code drain}
   * @param tick how often the drain re-plans and checks its items
   * @param abandonMargin this long before the deadline the drain abandons what still runs (to its
   *     lease) and ends, leaving the rest for the report, the runtime's stop and the exit; default:
   *     half the safety margin
   * @param exitMargin the runtime's stop is waited for until this long before the deadline at most;
   *     default: a quarter of the safety margin
   */
  public record Drain(
      @DefaultValue("5s") Duration safetyMargin,
      @DefaultValue("stop-leasing-then-exit") RebalancePolicy rebalancePolicy,
      @DefaultValue("200ms") Duration tick,
      Duration abandonMargin,
      Duration exitMargin) {
    public Drain {
      safetyMargin = safetyMargin == null ? Duration.ofSeconds(5) : safetyMargin;
      rebalancePolicy =
          rebalancePolicy == null ? RebalancePolicy.STOP_LEASING_THEN_EXIT : rebalancePolicy;
      tick = tick == null ? Duration.ofMillis(200) : tick;
      notNegative(safetyMargin, "drain.safety-margin");
      positive(tick, "drain.tick");
      abandonMargin = abandonMargin == null ? safetyMargin.dividedBy(2) : abandonMargin;
      exitMargin = exitMargin == null ? safetyMargin.dividedBy(4) : exitMargin;
      notNegative(exitMargin, "drain.exit-margin");
      atMost(abandonMargin, "drain.abandon-margin", safetyMargin, "drain.safety-margin");
      atMost(exitMargin, "drain.exit-margin", abandonMargin, "drain.abandon-margin");
    }

    public static Drain defaults() {
      return new Drain(null, null, null, null, null);
    }

    /** The margins as the drain takes them. */
    public DrainSettings.Margins margins() {
      return new DrainSettings.Margins(safetyMargin, abandonMargin, exitMargin);
    }
  }

  /**
   * An extra ONNX sentence-embedding model ({@code spotbatch.worker.models.<name>.*}), registered
   * under {@code <name>} next to the built-in {@code all-minilm-l6-v2}.
   *
   * @param onnx the {@code .onnx} file ({@code file:///...})
   * @param tokenizer the HuggingFace {@code tokenizer.json} ({@code file:///...})
   * @param dimensions the embedding size
   * @param maxLength tokens per text before truncation
   * @param tokenTypes whether the model takes {@code token_type_ids}
   */
  public record ModelSpec(
      String onnx,
      String tokenizer,
      int dimensions,
      @DefaultValue("256") int maxLength,
      @DefaultValue("true") boolean tokenTypes) {
    public ModelSpec {
      if (onnx == null || tokenizer == null || dimensions < 1 || maxLength < 1) {
        throw new IllegalArgumentException(
            "spotbatch.worker.models.<name> needs onnx and tokenizer"
                + " (file:/// URIs), dimensions >= 1 and max-length >= 1");
      }
      StoreUri.parse(onnx).toPath();
      StoreUri.parse(tokenizer).toPath();
    }

    public Path onnxPath() {
      return StoreUri.parse(onnx).toPath();
    }

    public Path tokenizerPath() {
      return StoreUri.parse(tokenizer).toPath();
    }
  }

  /**
   * Instance facts when known ({@code spotbatch.worker.instance.*}); a later issue reads them from
   * cloud metadata.
   */
  public record Instance(
      String provider,
      String instanceId,
      String instanceType,
      String region,
      String zone,
      Lifecycle lifecycle) {}

  public WorkerProperties {
    id = id == null || id.isBlank() ? defaultId() : id.trim();
    intraOpThreads =
        intraOpThreads == null ? Runtime.getRuntime().availableProcessors() : intraOpThreads;
    allowedRoots = allowedRoots == null ? List.of() : List.copyOf(allowedRoots);
    models = models == null ? Map.of() : Map.copyOf(models);
    drain = drain == null ? Drain.defaults() : drain;
    preloadModels =
        preloadModels == null
            ? List.of(MiniLmOnnxModel.NAME)
            : preloadModels.stream().map(String::trim).filter(n -> !n.isEmpty()).toList();
    modelCacheDir =
        modelCacheDir == null
            ? Path.of(System.getProperty("user.home"), ".cache", "spotbatch", "models")
            : modelCacheDir;
    tempDir =
        tempDir == null
            ? Path.of(System.getProperty("java.io.tmpdir"), "spotbatch-worker")
            : tempDir;
    atLeast(concurrency, 1, "concurrency");
    atLeast(inferenceThreads, 1, "inference-threads");
    atLeast(intraOpThreads, 1, "intra-op-threads");
    atLeast(batchSize, 1, "batch-size");
    if (maxRecordsPerSecond < 0 || !Double.isFinite(maxRecordsPerSecond)) {
      throw new IllegalArgumentException(
          "spotbatch.worker.max-records-per-second must be >= 0 (0 for no cap), was "
              + maxRecordsPerSecond);
    }
    positive(leaseTime, "lease-time");
    positive(heartbeatInterval, "heartbeat-interval");
    positive(pollWait, "poll-wait");
    positive(retryBaseDelay, "retry-base-delay");
    positive(retryMaxDelay, "retry-max-delay");
    notNegative(maxBatchDelay, "max-batch-delay");
    notNegative(shutdownGrace, "shutdown-grace");
    if (heartbeatInterval.multipliedBy(2).compareTo(leaseTime) > 0) {
      throw new IllegalArgumentException(
          "spotbatch.worker.heartbeat-interval ("
              + heartbeatInterval
              + ") must be at most half of spotbatch.worker.lease-time ("
              + leaseTime
              + ") so a lease is extended well before it expires");
    }
    if (drain.safetyMargin().compareTo(shutdownGrace) > 0 && !shutdownGrace.isZero()) {
      throw new IllegalArgumentException(
          "spotbatch.worker.drain.safety-margin ("
              + drain.safetyMargin()
              + ") must be at most spotbatch.worker.shutdown-grace ("
              + shutdownGrace
              + ")");
    }
    if (pollWait.compareTo(Duration.ofSeconds(20)) > 0) {
      throw new IllegalArgumentException(
          "spotbatch.worker.poll-wait must be at most 20s (SQS long-poll limit)");
    }
    StorageRoots.of(ALLOWED_ROOTS, allowedRoots); // validated once, at startup
  }

  /** The locations items may read and write. */
  public StorageRoots storageRoots() {
    return StorageRoots.of(ALLOWED_ROOTS, allowedRoots);
  }

  /** The configured roots, parsed. */
  public List<StoreUri> allowedRootUris() {
    return allowedRoots.stream().map(StoreUri::parse).toList();
  }

  /** The local directories among the allowed roots. */
  public List<Path> localRoots() {
    return allowedRootUris().stream()
        .filter(u -> u.scheme().equals(StoreUri.FILE))
        .map(StoreUri::toPath)
        .toList();
  }

  /**
   * The facts that label this worker's events: configured ones ({@code
   * spotbatch.worker.instance.*}) win, then those read from the cloud's metadata service, then
   * local facts.
   */
  public InstanceFacts instanceFacts(InstanceFacts detected) {
    if ((instance == null || instance.provider() == null) && detected != null) {
      return detected;
    }
    return instanceFacts();
  }

  public InstanceFacts instanceFacts() {
    if (instance == null || instance.provider() == null) {
      return InstanceFacts.local(
          instance != null && instance.instanceId() != null ? instance.instanceId() : id);
    }
    return new InstanceFacts(
        instance.provider(),
        instance.instanceId() == null ? id : instance.instanceId(),
        instance.instanceType(),
        instance.region(),
        instance.zone(),
        instance.lifecycle());
  }

  private static String defaultId() {
    try {
      String host = InetAddress.getLocalHost().getHostName();
      if (host != null && !host.isBlank()) {
        return host + "-" + ProcessHandle.current().pid();
      }
    } catch (Exception ignored) {
      // fall through to a random id
    }
    return "worker-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static void atLeast(int value, int min, String name) {
    if (value < min) {
      throw new IllegalArgumentException(
          "spotbatch.worker." + name + " must be >= " + min + ", was " + value);
    }
  }

  private static void positive(Duration d, String name) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("spotbatch.worker." + name + " must be > 0, was " + d);
    }
  }

  private static void atMost(Duration d, String name, Duration bound, String boundName) {
    if (d.compareTo(bound) > 0) {
      throw new IllegalArgumentException(
          "spotbatch.worker."
              + name
              + " ("
              + d
              + ") must be at most spotbatch.worker."
              + boundName
              + " ("
              + bound
              + ")");
    }
  }

  private static void notNegative(Duration d, String name) {
    if (d == null || d.isNegative()) {
      throw new IllegalArgumentException("spotbatch.worker." + name + " must be >= 0, was " + d);
    }
  }
}
