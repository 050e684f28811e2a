package dev.spotbatch.dispatcher.recovery;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs recovery on one named background thread: at start and then every interval, first the
 * dead-letter sweep (so an item the broker gave up on is failed before the reconciler could count
 * it as lost), then a reconciler round. A failing round is logged and the next one runs as usual.
 */
public class RecoveryLoop {
  private static final Logger log = LoggerFactory.getLogger(RecoveryLoop.class);

  private final Reconciler reconciler;
  private final Optional<DeadLetterSweeper> sweeper;
  private final Duration interval;
  private ScheduledExecutorService executor;

  public RecoveryLoop(
      Reconciler reconciler, Optional<DeadLetterSweeper> sweeper, Duration interval) {
    this.reconciler = Objects.requireNonNull(reconciler, "reconciler");
    this.sweeper = Objects.requireNonNull(sweeper, "sweeper");
    this.interval = Objects.requireNonNull(interval, "interval");
  }

  public synchronized void start() {
    if (executor != null) {
      return;
    }
    executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "spotbatch-recovery");
              t.setDaemon(true);
              return t;
            });
    executor.scheduleWithFixedDelay(this::round, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** One sweep and one round, each on its own: a failure of one does not skip the other. */
  public void round() {
    sweeper.ifPresent(
        s -> {
          try {
            s.sweep();
          } catch (RuntimeException e) {
            log.warn("dead-letter sweep failed; next in {}: {}", interval, e.toString());
          }
        });
    try {
      reconciler.reconcile();
    } catch (RuntimeException e) {
      log.warn("reconciler round failed; next in {}: {}", interval, e.toString());
    }
  }

  /** Stops after the current round (waiting up to 10 s). Never throws. */
  public synchronized void stop() {
    ScheduledExecutorService e = executor;
    executor = null;
    if (e == null) {
      return;
    }
    e.shutdown();
    try {
      if (!e.awaitTermination(10, TimeUnit.SECONDS)) {
        e.shutdownNow();
      }
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      e.shutdownNow();
    }
  }

  public synchronized boolean isRunning() {
    return executor != null;
  }
}
