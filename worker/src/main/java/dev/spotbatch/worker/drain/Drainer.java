package dev.spotbatch.worker.drain;

import dev.spotbatch.drain.DrainDecision;
import dev.spotbatch.drain.DrainPlanner;
import dev.spotbatch.drain.DrainSettings;
import dev.spotbatch.drain.RebalancePolicy;
import dev.spotbatch.event.DrainReport;
import dev.spotbatch.event.WorkerEvent;
import dev.spotbatch.model.NoticeKind;
import dev.spotbatch.queue.EventQueue;
import dev.spotbatch.worker.item.EventFactory;
import dev.spotbatch.worker.item.ItemCommitter;
import dev.spotbatch.worker.lease.ActiveItem;
import dev.spotbatch.worker.lease.ActiveItems;
import dev.spotbatch.worker.lease.LeaseLoop;
import dev.spotbatch.worker.notice.Notice;
import dev.spotbatch.worker.notice.NoticeListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deadline-aware drain, written once against the work queue port (through the {@link
 * ItemCommitter}). On the first terminating notice (duplicates and later notices are ignored; an
 * advisory one follows the {@link RebalancePolicy}) it runs on a thread of its own: stop leasing at
 * once and report not ready; hand back every lease on which no record is written yet (all at once,
 * one thread per lease: on SQS a hand-back is two calls); publish {@code WorkerDraining}; tell each
 * running item its {@link DrainDecision} from the {@link DrainPlanner}, re-planned every tick, so a
 * finishing item whose rate drops is checkpointed while there is time. The {@link
 * DrainSettings.Margins} place the last steps before the deadline: at {@code deadline - checkpoint}
 * tell all that still run to checkpoint; at {@code deadline - abandon} abandon what is left (to its
 * lease) and end the drain. Then publish {@code WorkerStopped} with the {@link DrainReport}, stop
 * the runtime (waited for until {@code deadline - exit} at most) and signal {@link #awaitDrained}
 * and the {@link #onDrained} callbacks (the process exits there).
 *
 * <p>A plain stop (SIGTERM, Spring context close) drains the same way with deadline = now + the
 * grace ({@link #drainForStop}). Never throws out of a drain step. This class orchestrates; the
 * work on each item is {@code ItemSteering}'s and the counting for the report {@code DrainTally}'s.
 */
public final class Drainer implements NoticeListener {
  private static final Logger log = LoggerFactory.getLogger(Drainer.class);

  private final LeaseLoop leaseLoop;
  private final ActiveItems items;
  private final EventQueue events;
  private final EventFactory newEvent;
  private final ItemSteering steering;
  private final DrainSettings settings;
  private final Clock clock;
  private final AtomicBoolean started = new AtomicBoolean();
  private final CountDownLatch drained = new CountDownLatch(1);
  private final List<Runnable> startedCallbacks = new CopyOnWriteArrayList<>();
  private final List<Consumer<DrainReport>> drainedCallbacks = new CopyOnWriteArrayList<>();
  private volatile Runnable stopRuntime = () -> {};
  private volatile boolean leasingStopped;
  private volatile Notice notice;
  private volatile Instant deadline;
  private volatile DrainReport report;

  /**
   * @param committer hands back the leases the drain takes back
   * @param events where {@code WorkerDraining} and {@code WorkerStopped} go
   */
  public Drainer(
      LeaseLoop leaseLoop,
      ActiveItems items,
      ItemCommitter committer,
      EventQueue events,
      EventFactory newEvent,
      DrainSettings settings,
      Clock clock) {
    this.leaseLoop = Objects.requireNonNull(leaseLoop, "leaseLoop");
    this.items = Objects.requireNonNull(items, "items");
    this.events = Objects.requireNonNull(events, "events");
    this.newEvent = Objects.requireNonNull(newEvent, "newEvent");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.steering =
        new ItemSteering(
            leaseLoop, items, Objects.requireNonNull(committer, "committer"), settings, clock);
  }

  /** What closes the runtime once drained (the rest of its stop chain: heartbeat, clients). */
  public void stopRuntimeWith(Runnable action) {
    this.stopRuntime = Objects.requireNonNull(action, "action");
  }

  /** Called on the drain thread as soon as a drain starts (readiness: refuse traffic). */
  public void onStarted(Runnable callback) {
    startedCallbacks.add(Objects.requireNonNull(callback, "callback"));
  }

  /**
   * Called on the drain thread once drained and the runtime stopped; the integrator exits the
   * process here (with status 0). Called at once if already drained.
   */
  public void onDrained(Consumer<DrainReport> callback) {
    Objects.requireNonNull(callback, "callback");
    drainedCallbacks.add(callback);
    DrainReport done = report;
    if (drained.getCount() == 0 && done != null && drainedCallbacks.remove(callback)) {
      callback.accept(done);
    }
  }

  @Override
  public void onNotice(Notice n) {
    if (n == null) {
      return;
    }
    if (n.kind().isAdvisory()) {
      switch (settings.rebalancePolicy()) {
        case IGNORE -> log.info("advisory notice {} ignored (rebalance policy ignore)", n.id());
        case STOP_LEASING -> {
          if (!leasingStopped && !started.get()) {
            log.warn("advisory notice {}: leasing stopped (rebalance policy stop-leasing)", n.id());
          }
          stopLeasing();
        }
        case STOP_LEASING_THEN_EXIT -> {
          if (!leasingStopped && !started.get()) {
            log.warn(
                "advisory notice {}: leasing stopped; exiting once the running items end"
                    + " (rebalance policy stop-leasing-then-exit)",
                n.id());
            stopLeasing();
            exitWhenIdle(n);
          }
        }
        case DRAIN -> start(n);
      }
      return;
    }
    start(n);
  }

  /**
   * The plain stop path (SIGTERM, context close): drains with deadline = now + {@code grace} unless
   * a drain already runs, and waits for the drain to end. Never throws.
   */
  public void drainForStop(Duration grace) {
    Instant now = clock.instant();
    start(new Notice("sigterm", NoticeKind.SIGTERM, null, now.plus(grace), now, "stop requested"));
    Instant until = deadline == null ? now.plus(grace) : deadline;
    Duration wait = Duration.between(clock.instant(), until).plusSeconds(1);
    awaitDrained(wait.isNegative() ? Duration.ofSeconds(1) : wait);
  }

  /** Waits up to {@code timeout} for the drain to end; true if it has. */
  public boolean awaitDrained(Duration timeout) {
    try {
      return drained.await(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return drained.getCount() == 0;
    }
  }

  /** True from the first terminating notice on. */
  public boolean isDraining() {
    return started.get();
  }

  /** True once leasing stopped (by a drain or a rebalance recommendation). */
  public boolean isLeasingStopped() {
    return leasingStopped;
  }

  /** The notice being drained for, or null. */
  public Notice notice() {
    return notice;
  }

  /** The final report, or null until drained. */
  public DrainReport report() {
    return report;
  }

  private void start(Notice n) {
    if (!started.compareAndSet(false, true)) {
      log.debug(
          "notice {} ignored: already draining for {}", n.id(), notice == null ? "?" : notice.id());
      return;
    }
    notice = n;
    Instant d = n.deadline() != null ? n.deadline() : n.detectedAt().plus(settings.defaultGrace());
    deadline = d;
    log.warn("notice {} ({}): draining, deadline {}", n.id(), n.kind(), d);
    Thread t = new Thread(() -> run(n, d), "drainer");
    t.setDaemon(false);
    t.start();
  }

  /**
   * Once nothing runs and the lease loop has ended ({@link WhenIdle}), drains for {@code n}
   * (nothing is left to hand back, so the drain only reports) and so exits. A terminating notice
   * that comes first drains instead, and this one is then ignored.
   */
  private void exitWhenIdle(Notice n) {
    WhenIdle.run(
        items,
        leaseLoop,
        started::get,
        settings.tick(),
        () -> {
          Instant now = clock.instant();
          start(
              new Notice(
                  n.id(),
                  n.kind(),
                  n.noticeTime(),
                  now.plus(settings.defaultGrace()),
                  now,
                  n.detail()));
        });
  }

  private void stopLeasing() {
    leasingStopped = true;
    try {
      leaseLoop.stopLeasing(Duration.ZERO);
    } catch (RuntimeException e) {
      log.warn("drain: stopping the lease loop failed: {}", e.toString());
    }
  }

  private void run(Notice n, Instant d) {
    Set<ActiveItem> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    try {
      stopLeasing();
      for (Runnable r : startedCallbacks) {
        step("started callback", r);
      }
      // unstarted leases first: the event can wait a few milliseconds, the queue should not
      seen.addAll(items.snapshot());
      steering.takeBackUnstarted(seen);
      publish(newEvent.draining(n, d));
      steering.work(d, seen);
    } catch (RuntimeException e) {
      log.error("drain failed; stopping anyway", e);
    } finally {
      finish(n, d, seen);
    }
  }

  private void finish(Notice n, Instant d, Set<ActiveItem> seen) {
    DrainTally tally = DrainTally.count(n, d, seen, leaseLoop.givenBack(), clock);
    DrainReport r = tally.report();
    log.warn(
        "drained for {}: {} handed back, {} finished, {} checkpointed, {} abandoned",
        n.id(),
        r.handedBack(),
        r.finished(),
        r.checkpointed(),
        r.abandoned());
    publish(newEvent.stopped(r, tally.lost()));
    report = r;
    stopRuntimeBefore(d.minus(settings.margins().exit()));
    drained.countDown();
    List<Consumer<DrainReport>> callbacks = new ArrayList<>(drainedCallbacks);
    drainedCallbacks.removeAll(callbacks);
    for (Consumer<DrainReport> c : callbacks) {
      step("drained callback", () -> c.accept(r));
    }
  }

  /**
   * Stops the runtime (heartbeat, batchers, clients), waiting for it at most until {@code bound}.
   * Closing waits for item threads, which can take seconds when items were abandoned inside a model
   * call (e.g. a model still loading on a busy machine); the process must still exit before the
   * deadline, and what those threads still hold is left to its lease anyway.
   */
  private void stopRuntimeBefore(Instant bound) {
    Thread t = new Thread(() -> step("stop runtime", stopRuntime), "drain-stop-runtime");
    t.setDaemon(true);
    t.start();
    long ms = Duration.between(clock.instant(), bound).toMillis();
    try {
      t.join(Math.max(1, ms));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (t.isAlive()) {
      log.warn(
          "drain: stopping the runtime did not end by {} (deadline minus the exit margin);"
              + " exiting without it",
          bound);
    }
  }

  private void publish(WorkerEvent e) {
    step("publish " + e.getClass().getSimpleName(), () -> events.publish(List.of(e)));
  }

  private static void step(String name, Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      log.warn("drain step '{}' failed: {}", name, e.toString());
    }
  }
}
