package dev.spotbatch.worker.notice.aws;

import dev.spotbatch.model.NoticeKind;
import dev.spotbatch.worker.notice.Notice;
import dev.spotbatch.worker.notice.NoticeListener;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the termination lifecycle action for as long as the drain runs and completes it after: on
 * the Auto Scaling notice ({@code target-lifecycle-state = Terminated}) it starts the {@link
 * LifecycleActionCompleter}'s clock and checks every {@code checkEvery} whether a heartbeat is due;
 * {@link #drained()} (the drain's end, whichever notice started it) stops the checks and completes
 * the action with {@code CONTINUE}. Nothing here throws or delays the drain: a call that fails is
 * logged and counted, and the hook's own timeout with {@code DefaultResult=CONTINUE} ends the wait.
 */
public final class LifecycleHookCompletion implements NoticeListener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LifecycleHookCompletion.class);

  private final LifecycleActionCompleter completer;
  private final Duration checkEvery;
  private ScheduledExecutorService checks;
  private boolean noticed;
  private boolean drained;

  /**
   * @param checkEvery how often a heartbeat is considered while draining (well under the
   *     completer's heartbeat lead)
   */
  public LifecycleHookCompletion(LifecycleActionCompleter completer, Duration checkEvery) {
    this.completer = Objects.requireNonNull(completer, "completer");
    if (checkEvery == null || checkEvery.isNegative() || checkEvery.isZero()) {
      throw new IllegalArgumentException("checkEvery must be > 0");
    }
    this.checkEvery = checkEvery;
  }

  /** Starts holding the action on the first Auto Scaling termination notice; ignores the rest. */
  @Override
  public void onNotice(Notice notice) {
    if (notice == null || notice.kind() != NoticeKind.AWS_LIFECYCLE_TERMINATION) {
      return;
    }
    synchronized (this) {
      if (noticed) {
        return;
      }
      noticed = true;
      completer.started(notice.detectedAt());
      if (drained) {
        // the drain ended (for another notice) before Auto Scaling's own came: let it go at once
        Thread t = new Thread(completer::complete, "lifecycle-hook-complete");
        t.setDaemon(false);
        t.start();
        return;
      }
      checks =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "lifecycle-hook-heartbeat");
                t.setDaemon(true);
                return t;
              });
      checks.scheduleWithFixedDelay(this::check, 0, checkEvery.toMillis(), TimeUnit.MILLISECONDS);
    }
    log.info("termination lifecycle action held while the worker drains");
  }

  /**
   * The drain is over: stops the heartbeats and completes the action if Auto Scaling's notice came;
   * empty if it did not (a spot notice or SIGTERM outside a scale-in: there is no action to
   * complete). Never throws.
   */
  public Optional<LifecycleActionCompleter.Completion> drained() {
    synchronized (this) {
      drained = true;
      if (!noticed) {
        return Optional.empty();
      }
      stopChecks();
    }
    return Optional.of(completer.complete());
  }

  private void check() {
    try {
      completer.tick();
    } catch (RuntimeException e) {
      log.warn("lifecycle hook heartbeat check failed: {}", e.toString());
    }
  }

  private synchronized void stopChecks() {
    if (checks != null) {
      checks.shutdownNow();
      checks = null;
    }
  }

  @Override
  public void close() {
    stopChecks();
  }
}
