package dev.spotbatch.worker.notice.signal;

import dev.spotbatch.model.NoticeKind;
import dev.spotbatch.worker.notice.Notice;
import dev.spotbatch.worker.notice.NoticeSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGTERM (docker stop, Kubernetes, an Auto Scaling group without a lifecycle hook) as a notice.
 *
 * <p>{@link #install()} registers one JVM shutdown hook. When the JVM starts shutting down the hook
 * records a {@link NoticeKind#SIGTERM} notice with deadline {@code now + grace}, which {@link
 * #poll()} then returns, and <b>blocks</b> until {@link #drained()} is called (the drain is done),
 * the grace runs out, or this source is closed; then it runs the optional {@code afterDrain} action
 * (e.g. closing the Spring context) and returns, letting the JVM exit. Without the wait the JVM
 * would exit mid-drain.
 *
 * <p>Spring Boot registers its own shutdown hook, which closes the context concurrently with this
 * one; closing the context stops the monitor, which closes this source and releases the wait. To
 * drain before the context closes, run with {@code spring.main.register-shutdown-hook=false} and
 * pass {@code context::close} as {@code afterDrain} (the worker's configuration does this).
 */
public final class SignalNoticeSource implements NoticeSource {
  private static final Logger log = LoggerFactory.getLogger(SignalNoticeSource.class);
  public static final Duration DEFAULT_GRACE = Duration.ofSeconds(25);

  private final Clock clock;
  private final Duration grace;
  private final CountDownLatch drained = new CountDownLatch(1);
  private final AtomicBoolean installed = new AtomicBoolean();
  private final Thread hook;
  private volatile Notice notice;
  private volatile Runnable afterDrain = () -> {};

  public SignalNoticeSource(Clock clock, Duration grace) {
    this.clock = Objects.requireNonNull(clock, "clock");
    if (grace == null || grace.isNegative()) {
      throw new IllegalArgumentException("grace must be >= 0, was " + grace);
    }
    this.grace = grace;
    this.hook = new Thread(this::onShutdown, "notice-sigterm-hook");
  }

  /** Registers the JVM shutdown hook (once; later calls do nothing). Returns this. */
  public SignalNoticeSource install() {
    if (installed.compareAndSet(false, true)) {
      try {
        Runtime.getRuntime().addShutdownHook(hook);
      } catch (IllegalStateException e) {
        log.warn("JVM already shutting down: SIGTERM hook not installed");
      }
    }
    return this;
  }

  /**
   * What the hook runs once the drain is done or the grace ran out (e.g. {@code context::close}).
   */
  public void afterDrain(Runnable action) {
    this.afterDrain = Objects.requireNonNull(action, "action");
  }

  @Override
  public String name() {
    return "sigterm";
  }

  @Override
  public Optional<Notice> poll() {
    return Optional.ofNullable(notice);
  }

  /** The drain is done: the shutdown hook may return and the JVM exit. Idempotent. */
  public void drained() {
    drained.countDown();
  }

  /** Acknowledging a SIGTERM notice means the drain for it is done. */
  @Override
  public void acknowledge(Notice n) {
    drained();
  }

  /** The hook's body (public for tests, which must not signal their own JVM). */
  public Runnable hookRunnable() {
    return this::onShutdown;
  }

  void onShutdown() {
    Instant now = clock.instant();
    Instant deadline = now.plus(grace);
    if (notice == null) {
      notice =
          new Notice("sigterm", NoticeKind.SIGTERM, now, deadline, now, "JVM shutdown (SIGTERM)");
    }
    log.info("SIGTERM: draining, waiting up to {} for the drain to finish", grace);
    try {
      if (!drained.await(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("SIGTERM: drain not finished within {}; exiting anyway", grace);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      afterDrain.run();
    } catch (RuntimeException e) {
      log.warn("SIGTERM: after-drain action failed: {}", e.toString());
    }
  }

  /**
   * Nobody will drain for this source any more: unregisters the hook if the JVM is not shutting
   * down, and releases a waiting hook.
   */
  @Override
  public void close() {
    if (installed.get()) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // shutting down: the hook is running or about to
      }
    }
    drained.countDown();
  }
}
