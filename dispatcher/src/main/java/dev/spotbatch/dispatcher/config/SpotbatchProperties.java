package dev.spotbatch.dispatcher.config;

import dev.spotbatch.boot.QueueProperties;
import dev.spotbatch.model.Lifecycle;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** Every {@code spotbatch.*} setting of the dispatcher, with its default. */
@ConfigurationProperties("spotbatch")
public record SpotbatchProperties(
    @DefaultValue("./.spotbatch") Path dataDir,
    @DefaultValue("all-minilm-l6-v2") List<String> models,
    @DefaultValue Storage storage,
    @DefaultValue QueueProperties queue,
    @DefaultValue Embedded embedded,
    @DefaultValue Fleet fleet,
    @DefaultValue Planner planner,
    @DefaultValue Events events,
    @DefaultValue Cost cost) {

  /** The data directory, absolute. */
  public Path dataPath() {
    return dataDir.toAbsolutePath().normalize();
  }

  /** The data directory as a {@code file://} prefix. */
  public String dataUri() {
    String p = dataPath().toString();
    return "file://" + (p.endsWith("/") ? p : p + "/");
  }

  /** Allowed roots; empty means the data directory. */
  public List<String> allowedRoots() {
    return storage.allowedRoots().isEmpty() ? List.of(dataUri()) : storage.allowedRoots();
  }

  /** Staging location; empty means {@code <data-dir>/staging/}. */
  public String stagingUri() {
    return storage.stagingUri() == null || storage.stagingUri().isBlank()
        ? dataUri() + "staging/"
        : storage.stagingUri();
  }

  /**
   * @param allowedRoots URI prefixes jobs may read and write ({@code s3://} or {@code file://})
   * @param stagingUri where inline records are written
   */
  public record Storage(List<String> allowedRoots, String stagingUri) {
    public Storage {
      allowedRoots = allowedRoots == null ? List.of() : List.copyOf(allowedRoots);
    }
  }

  /**
   * @param sqs the in-process ElasticMQ server (started when the queue type is {@code sqs})
   * @param kafka the in-process Kafka broker (started when the queue type is {@code kafka})
   */
  public record Embedded(@DefaultValue Sqs sqs, @DefaultValue Kafka kafka) {
    /** The in-process ElasticMQ server of the local profile. */
    public record Sqs(@DefaultValue("false") boolean enabled, @DefaultValue("9324") int port) {}

    /**
     * The in-process single-node Kafka broker of the local profile; its logs live under {@code
     * <data-dir>/kafka}, so a restart keeps queued work.
     */
    public record Kafka(@DefaultValue("false") boolean enabled) {}
  }

  public record Fleet(@DefaultValue Local local) {
    /**
     * @param workers worker processes to run (0 = off)
     * @param workerJar the worker's executable jar
     * @param stopGrace how long workers get to drain on shutdown before they are killed
     * @param superviseInterval how often lost workers are replaced and health is read
     * @param noticePollInterval how often each worker polls its local metadata endpoint
     * @param healthTimeout how long the fleet waits for a worker's health (leases, draining)
     * @param historySize ended processes remembered per worker slot
     * @param chaos random interruptions of the local workers
     * @param workerArgs extra arguments for every worker process (e.g. {@code
     *     --spotbatch.worker.concurrency=1})
     * @param workerJvmArgs JVM options of every worker process; the default, C1 only, halves a
     *     worker's boot CPU and costs no inference speed (the model runs in ONNX Runtime)
     * @param classDataSharing prepare an AppCDS archive of the worker jar once and start workers
     *     with it (boot CPU about a quarter; see {@code WorkerClassData})
     * @param classDataDir where the archive is kept (empty: {@code <data-dir>/cache/worker-cds})
     */
    public record Local(
        @DefaultValue("0") int workers,
        @DefaultValue("worker/target/spotbatch-worker-0.1.0-SNAPSHOT-exec.jar") Path workerJar,
        @DefaultValue("30s") Duration stopGrace,
        @DefaultValue("5s") Duration superviseInterval,
        @DefaultValue("500ms") Duration noticePollInterval,
        @DefaultValue("500ms") Duration healthTimeout,
        @DefaultValue("10") int historySize,
        @DefaultValue Chaos chaos,
        List<String> workerArgs,
        @DefaultValue("-XX:TieredStopAtLevel=1") List<String> workerJvmArgs,
        @DefaultValue("true") boolean classDataSharing,
        Path classDataDir) {
      public Local {
        workerArgs = workerArgs == null ? List.of() : List.copyOf(workerArgs);
        workerJvmArgs = workerJvmArgs == null ? List.of() : List.copyOf(workerJvmArgs);
      }
    }

    /**
     * @param perWorkerHour interruptions per worker and hour, a Poisson process (0 = off)
     * @param mix kinds and weights, e.g. {@code
     *     spot120:40,spot5:20,sigterm:15,kill:15,rebalance:5,lifecycle:5}
     * @param seed random seed (0 = a fresh one each run)
     * @param tick how often chaos checks whether an interruption is due
     */
    public record Chaos(
        @DefaultValue("0") double perWorkerHour,
        @DefaultValue("spot120:40,spot5:20,sigterm:15,kill:15,rebalance:5,lifecycle:5") String mix,
        @DefaultValue("0") long seed,
        @DefaultValue("1s") Duration tick) {}
  }

  /**
   * @param threads planning threads
   * @param backlog jobs that may wait for a planning thread before submissions fail
   */
  public record Planner(@DefaultValue("2") int threads, @DefaultValue("100") int backlog) {}

  /**
   * @param batchSize events received per poll (SQS: at most 10)
   * @param pollWait long-poll wait
   * @param backoffInitial first wait after an error
   * @param backoffMax longest wait after repeated errors
   */
  public record Events(
      @DefaultValue("10") int batchSize,
      @DefaultValue("1s") Duration pollWait,
      @DefaultValue("200ms") Duration backoffInitial,
      @DefaultValue("30s") Duration backoffMax) {}

  /**
   * @param prices $/hour by provider, instance type and lifecycle
   */
  public record Cost(List<PriceEntry> prices) {
    public Cost {
      prices = prices == null ? List.of() : List.copyOf(prices);
    }

    public record PriceEntry(
        String provider, String instanceType, Lifecycle lifecycle, double usdPerHour) {}
  }
}
