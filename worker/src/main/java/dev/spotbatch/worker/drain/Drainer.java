package dev.spotbatch.worker.drain;

import dev.spotbatch.drain.DrainDecision;
import dev.spotbatch.drain.DrainPlanner;
import dev.spotbatch.drain.DrainSettings;
import dev.spotbatch.drain.RebalancePolicy;
import dev.spotbatch.event.DrainReport;
import dev.spotbatch.event.LostLease;
import dev.spotbatch.event.WorkerEvent;
import dev.spotbatch.model.NoticeKind;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.queue.EventQueue;
import dev.spotbatch.worker.item.EventFactory;
import dev.spotbatch.worker.item.ItemCommitter;
import dev.spotbatch.worker.lease.AbandonReason;
import dev.spotbatch.worker.lease.ActiveItem;
import dev.spotbatch.worker.lease.ActiveItems;
import dev.spotbatch.worker.lease.ItemOutcome;
import dev.spotbatch.worker.lease.LeaseLoop;
import dev.spotbatch.worker.notice.Notice;
import dev.spotbatch.worker.notice.NoticeListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
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
 * grace ({@link #drainForStop}). Never throws out of a drain step.
 */
public final class Drainer implements NoticeListener {
  private static final Logger log = LoggerFactory.getLogger(Drainer.class);

  private final LeaseLoop leaseLoop;
  private final ActiveItems items;
  private final ItemCommitter committer;
  private final EventQueue events;
  private final EventFactory newEvent;
  private final DrainPlanner planner;
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
    this.committer = Objects.requireNonNull(committer, "committer");
    this.events = Objects.requireNonNull(events, "events");
    this.newEvent = Objects.requireNonNull(newEvent, "newEvent");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.planner = new DrainPlanner(settings.margins().checkpoint());
    this.clock = Objects.requireNonNull(clock, "clock");
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
      takeBackUnstarted(seen);
      publish(newEvent.draining(n, d));
      work(d, seen);
    } catch (RuntimeException e) {
      log.error("drain failed; stopping anyway", e);
    } finally {
      finish(n, d, seen);
    }
  }

  /** Hands back, plans and waits until every item ended or time is up. */
  private void work(Instant d, Set<ActiveItem> seen) {
    Instant cutoff = planner.cutoff(d);
    Instant abandonAt = d.minus(settings.margins().abandon());
    // a lease call in flight when leasing stopped ends within the poll wait; its leases go back
    Instant loopWait = clock.instant().plus(leaseLoop.pollWait()).plusSeconds(1);
    boolean abandonedAll = false;
    while (true) {
      Instant now = clock.instant();
      seen.addAll(items.snapshot());
      boolean running = false;
      takeBackUnstarted(seen);
      for (ActiveItem a : seen) {
        if (a.outcome() != null || a.state() == ActiveItem.State.TAKEN_BACK) {
          continue;
        }
        running = true;
        if (abandonedAll) {
          continue;
        }
        if (!now.isBefore(abandonAt)) {
          a.abandon(AbandonReason.SHUTDOWN);
          log.warn("drain: item {} still running at {}; abandoned to its lease", itemId(a), now);
          continue;
        }
        DrainDecision next =
            !now.isBefore(cutoff)
                ? DrainDecision.CHECKPOINT
                : planner.decide(now, d, state(a, now));
        DrainDecision before = a.decision();
        a.decide(next);
        if (before != a.decision()) {
          log.info("drain: item {} -> {}", itemId(a), a.decision());
        }
      }
      if (!now.isBefore(abandonAt)) {
        abandonedAll = true;
      }
      boolean loopAlive = leaseLoop.isLoopAlive() && now.isBefore(loopWait);
      if (!running && !loopAlive) {
        return;
      }
      if (abandonedAll) {
        return; // what still runs is left to its lease; the time left is for stopping and exit
      }
      if (!sleep()) {
        for (ActiveItem a : seen) {
          if (a.outcome() == null) {
            a.abandon(AbandonReason.SHUTDOWN);
          }
        }
        log.warn("drain interrupted; what still runs is left to its lease");
        return;
      }
    }
  }

  /**
   * Takes back every lease with no record written and hands them back in parallel (a thread per
   * lease beyond the first), waiting for all: each hand-back is one or two broker round trips.
   */
  private void takeBackUnstarted(Set<ActiveItem> seen) {
    List<ActiveItem> taken = new ArrayList<>();
    for (ActiveItem a : seen) {
      if (a.outcome() == null && a.takeBack()) {
        taken.add(a);
      }
    }
    List<Thread> threads = new ArrayList<>();
    for (int i = 1; i < taken.size(); i++) {
      ActiveItem a = taken.get(i);
      Thread t = new Thread(() -> handBack(a), "drainer-hand-back-" + i);
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
    if (!taken.isEmpty()) {
      handBack(taken.get(0));
    }
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // the drain's sleep sees it and gives up
        return;
      }
    }
  }

  private void handBack(ActiveItem a) {
    a.ended(committer.handBack(a), clock.instant());
  }

  private DrainPlanner.ItemState state(ActiveItem a, Instant now) {
    ActiveItem.Progress p = a.progress(Clock.fixed(now, clock.getZone()));
    WorkItem item = a.lease().item();
    long position = Math.max(item.range().start(), Math.min(p.position(), item.range().end()));
    return new DrainPlanner.ItemState(
        item.itemId(),
        p.total(),
        item.range().start(),
        position,
        item.range().end(),
        p.recordsPerSecond());
  }

  private void finish(Notice n, Instant d, Set<ActiveItem> seen) {
    // items whose unstarted lease went back, counted once each (the drain may hand an item back
    // and the lease call in flight receive it and give it back again): when it last went back
    Map<String, Instant> back = new HashMap<>();
    for (LeaseLoop.GivenBack g : leaseLoop.givenBack()) {
      back.merge(g.jobId() + "/" + g.itemId(), g.at(), Drainer::later);
    }
    int finished = 0;
    int checkpointed = 0;
    int abandoned = 0;
    List<LostLease> lost = new ArrayList<>();
    Instant now = clock.instant();
    for (ActiveItem a : seen) {
      ItemOutcome o = a.outcome();
      if (o == null || o == ItemOutcome.ABANDONED || o == ItemOutcome.LEFT_TO_EXPIRE) {
        // its work so far is redone by whoever gets the lease next: the dispatcher prices it
        WorkItem item = a.lease().item();
        lost.add(
            new LostLease(
                item.jobId(),
                item.itemId(),
                a.startedAt(),
                a.progress(Clock.fixed(now, clock.getZone())).total()));
      }
      if (o == null) {
        abandoned++;
        continue;
      }
      switch (o) {
        case HANDED_BACK -> {
          WorkItem item = a.lease().item();
          back.merge(item.jobId() + "/" + item.itemId(), a.endedAt(), Drainer::later);
        }
        // the lease ended by itself before the deadline: done, given up, dropped or waiting out
        // an outage on the queue
        case COMPLETED, RETRYING, FAILED, CANCELLED, DEFERRED -> finished++;
        case CHECKPOINTED -> checkpointed++;
        case ABANDONED, LEFT_TO_EXPIRE -> abandoned++;
      }
    }
    int handedBack = back.size();
    Instant unstartedReturnedAt = back.values().stream().reduce(Drainer::later).orElse(null);
    DrainReport r =
        new DrainReport(
            n.kind(),
            n.id(),
            n.noticeTime(),
            n.detectedAt(),
            d,
            unstartedReturnedAt,
            handedBack,
            finished,
            checkpointed,
            abandoned,
            clock.instant());
    log.warn(
        "drained for {}: {} handed back, {} finished, {} checkpointed, {} abandoned",
        n.id(),
        handedBack,
        finished,
        checkpointed,
        abandoned);
    publish(newEvent.stopped(r, lost));
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

  /** Waits one tick; false if interrupted (the drain then gives up on what still runs). */
  private boolean sleep() {
    try {
      Thread.sleep(Math.max(1, settings.tick().toMillis()));
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static String itemId(ActiveItem a) {
    return a.lease().item().itemId();
  }

  private static void step(String name, Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      log.warn("drain step '{}' failed: {}", name, e.toString());
    }
  }
}
