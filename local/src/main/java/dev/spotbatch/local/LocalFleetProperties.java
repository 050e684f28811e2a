package dev.spotbatch.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code spotbatch.fleet.local.*}: the local process fleet of the embedded default.
 *
 * @param workers worker processes of a fixed fleet (0 = off, unless the autoscaler runs it)
 * @param workerJar the worker's executable jar
 * @param stopGrace how long workers get to drain on shutdown before they are killed
 * @param superviseInterval how often lost workers are replaced and health is read
 * @param noticePollInterval how often each worker polls its local metadata endpoint
 * @param healthTimeout how long the fleet waits for a worker's health (leases, draining)
 * @param historySize ended processes remembered per worker slot
 * @param chaos random interruptions of the local workers
 * @param workerArgs extra arguments for every worker process (e.g. {@code
 *     --spotbatch.worker.concurrency=1})
 * @param workerJvmArgs JVM options of every worker process; the default, C1 only, halves a worker's
 *     boot CPU and costs no inference speed (the model runs in ONNX Runtime)
 * @param classDataSharing prepare an AppCDS archive of the worker jar once and start workers with
 *     it (see {@code WorkerClassData})
 * @param classDataDir where the archive is kept (empty: {@code <data-dir>/cache/worker-cds})
 * @param instanceType the simulated instance type local workers report (a label for pricing)
 * @param zone the zone local workers report
 */
@ConfigurationProperties("spotbatch.fleet.local")
public record LocalFleetProperties(
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
    Path classDataDir,
    @DefaultValue("g5.xlarge") String instanceType,
    @DefaultValue("local-1a") String zone) {
  public LocalFleetProperties {
    workerArgs = workerArgs == null ? List.of() : List.copyOf(workerArgs);
    workerJvmArgs = workerJvmArgs == null ? List.of() : List.copyOf(workerJvmArgs);
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
