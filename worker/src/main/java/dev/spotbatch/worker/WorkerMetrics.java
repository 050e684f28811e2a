package dev.spotbatch.worker;

import dev.spotbatch.worker.inference.Batcher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.function.Supplier;

/** The worker's meters (Micrometer, no Spring): records, items, batches, leases, heartbeats. */
public final class WorkerMetrics implements Batcher.Listener {
  private final MeterRegistry registry;
  private final Counter records;
  private final Counter recordErrors;
  private final Counter itemsCompleted;
  private final Counter itemsRetried;
  private final Counter itemsFailed;
  private final Counter itemsAbandoned;
  private final Counter itemsCancelled;
  private final Counter itemsDeferred;
  private final Counter heartbeatFailures;
  private final Timer batchLatency;
  private final Counter batchFailures;

  public WorkerMetrics(MeterRegistry registry) {
    this.registry = registry;
    records =
        Counter.builder("spotbatch.worker.records")
            .description("records embedded and written")
            .register(registry);
    recordErrors =
        Counter.builder("spotbatch.worker.record.errors")
            .description("records that could not be processed")
            .register(registry);
    itemsCompleted =
        Counter.builder("spotbatch.worker.items").tag("outcome", "completed").register(registry);
    itemsRetried =
        Counter.builder("spotbatch.worker.items").tag("outcome", "retried").register(registry);
    itemsFailed =
        Counter.builder("spotbatch.worker.items").tag("outcome", "failed").register(registry);
    itemsAbandoned =
        Counter.builder("spotbatch.worker.items").tag("outcome", "abandoned").register(registry);
    itemsCancelled =
        Counter.builder("spotbatch.worker.items").tag("outcome", "cancelled").register(registry);
    itemsDeferred =
        Counter.builder("spotbatch.worker.items").tag("outcome", "deferred").register(registry);
    heartbeatFailures =
        Counter.builder("spotbatch.worker.heartbeat.failures")
            .description("failed lease extensions")
            .register(registry);
    batchLatency =
        Timer.builder("spotbatch.worker.batch.latency")
            .description("model time per batch")
            .register(registry);
    batchFailures = Counter.builder("spotbatch.worker.batch.failures").register(registry);
  }

  /** Meters that go nowhere (tests). */
  public static WorkerMetrics noop() {
    return new WorkerMetrics(new SimpleMeterRegistry());
  }

  /** Registers the active-leases gauge. */
  public void leasesActive(Supplier<Number> active) {
    io.micrometer.core.instrument.Gauge.builder("spotbatch.worker.leases.active", active)
        .description("leases being worked on")
        .register(registry);
  }

  public void recordsProcessed(long n) {
    records.increment(n);
  }

  public void recordErrors(long n) {
    recordErrors.increment(n);
  }

  public void itemCompleted() {
    itemsCompleted.increment();
  }

  public void itemRetried() {
    itemsRetried.increment();
  }

  public void itemFailed() {
    itemsFailed.increment();
  }

  public void itemAbandoned() {
    itemsAbandoned.increment();
  }

  /** An item went back to wait out a store or queue outage. */
  public void itemDeferred() {
    itemsDeferred.increment();
  }

  /** An item of a cancelled job was acknowledged without (more) work. */
  public void itemCancelled() {
    itemsCancelled.increment();
  }

  public void heartbeatFailure() {
    heartbeatFailures.increment();
  }

  public double heartbeatFailures() {
    return heartbeatFailures.count();
  }

  /**
   * One call to Auto Scaling for the termination lifecycle hook, by call ({@code heartbeat}, {@code
   * complete}) and outcome ({@code accepted}, {@code no_action}, {@code failed}).
   */
  public void lifecycleHookCall(String call, String outcome) {
    Counter.builder("spotbatch.worker.lifecycle.hook.calls")
        .description("Auto Scaling lifecycle-hook calls: heartbeats and the completion")
        .tag("call", call)
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }

  @Override
  public void onBatch(int size, Duration latency, boolean failed) {
    batchLatency.record(latency);
    if (failed) {
      batchFailures.increment();
    }
  }
}
