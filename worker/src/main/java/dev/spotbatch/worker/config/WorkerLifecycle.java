package dev.spotbatch.worker.config;

import dev.spotbatch.worker.WorkerRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/** Starts the worker once the context is up and runs its ordered stop chain on shutdown. */
final class WorkerLifecycle implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(WorkerLifecycle.class);

  private final WorkerRuntime runtime;
  private final WorkerProperties props;
  private final Runnable awaitWarmStart;
  private volatile boolean running;

  /**
   * @param awaitWarmStart waits for the models loaded beside the context ({@link ModelWarmStart})
   */
  WorkerLifecycle(WorkerRuntime runtime, WorkerProperties props, Runnable awaitWarmStart) {
    this.runtime = runtime;
    this.props = props;
    this.awaitWarmStart = awaitWarmStart;
  }

  @Override
  public void start() {
    log.info(
        "worker {} starting: concurrency {}, inference threads {}, batch {}, lease {}, heartbeat {}",
        props.id(),
        props.concurrency(),
        props.inferenceThreads(),
        props.batchSize(),
        props.leaseTime(),
        props.heartbeatInterval());
    awaitWarmStart.run();
    runtime.preload(props.preloadModels());
    runtime.start();
    running = true;
  }

  @Override
  public void stop() {
    running = false;
    runtime.stop();
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
