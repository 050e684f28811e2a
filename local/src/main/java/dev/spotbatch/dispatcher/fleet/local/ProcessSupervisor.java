package dev.spotbatch.dispatcher.fleet.local;

import dev.spotbatch.dispatcher.fleet.Pool;
import dev.spotbatch.dispatcher.fleet.WorkerView;
import dev.spotbatch.localcloud.LocalImdsServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code desired} worker slots ({@code local-1..n}) each running one process: launches
 * missing ones, replaces lost ones after the {@link CrashBackoff} wait, stops those above the
 * desired count, and records every ended process in its slot's history. Its monitor guards the
 * slots and their processes; the interrupter and the health poller take it too. Launches are held
 * until {@link #releaseLaunches()} while a class-data archive is being prepared. A {@link
 * SlotLauncher} starts the processes and an {@link ExitRecorder} books their ends.
 */
final class ProcessSupervisor {
  private static final Logger log = LoggerFactory.getLogger(ProcessSupervisor.class);

  private final Clock clock;
  private final Duration stopGrace;
  private final ScheduledExecutorService timer;
  private final LocalInstance.Pools pools;
  private final FleetSizing sizing;
  private final SlotTable slots;
  private final SlotLauncher starter;
  private final ExitRecorder exits;
  private boolean closed;
  private boolean launchesHeld;

  ProcessSupervisor(
      LocalProcessFleet.Options options,
      WorkerCommand command,
      LocalProcessFleet.Launcher launcher,
      LocalProcessFleet.PortAllocator ports,
      Clock clock,
      ScheduledExecutorService timer) {
    this.clock = clock;
    this.stopGrace = options.stopGrace();
    this.timer = timer;
    this.launchesHeld = options.classDataDir() != null;
    this.pools = LocalInstance.Pools.of(options.instanceType(), options.zone());
    this.sizing = options.sizing();
    this.slots = new SlotTable(pools, sizing, options.historySize());
    this.starter =
        new SlotLauncher(command, launcher, ports, clock, options.workerJar(), this::onExit);
    this.exits = new ExitRecorder(clock, options.historySize(), sizing, slots);
  }

  LocalInstance.Pools pools() {
    return pools;
  }

  FleetSizing sizing() {
    return sizing;
  }

  synchronized int desired() {
    return slots.desired();
  }

  synchronized int desired(Pool pool) {
    return slots.desired(pool);
  }

  /** The spot pool's count (the fixed fleet has only spot workers). */
  synchronized void setDesired(int count) {
    setDesired(pools.spot(), count);
  }

  synchronized void setDesired(Pool pool, int count) {
    slots.desire(pool, count);
    supervise();
  }

  /**
   * Stops worker {@code workerId} of {@code pool} with SIGTERM (killed after the stop grace) and
   * lowers its pool's count by one, if it runs, has no notice and its last health said it holds no
   * lease; otherwise changes nothing.
   */
  synchronized boolean scaleIn(Pool pool, String workerId) {
    WorkerSlot s = slots.slot(workerId);
    if (closed || s == null || !s.pool.equals(pool)) {
      return false;
    }
    WorkerProcess p = s.current;
    if (p == null
        || !p.alive()
        || p.interruption != null
        || p.stopping
        || p.health == null
        || p.health.activeLeases() == null
        || p.health.activeLeases() > 0) {
      return false;
    }
    p.stopping = true;
    p.process.destroy(); // SIGTERM: the worker drains (it holds nothing) and exits
    try {
      timer.schedule(
          () -> {
            if (p.process.isAlive()) {
              log.warn("worker {} did not stop within {}; killing it", workerId, stopGrace);
              p.process.destroyForcibly();
            }
          },
          stopGrace.toMillis(),
          TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      // the fleet is closing: close() stops it
    }
    slots.retire(s);
    log.info(
        "worker {} ({}) of pool {} scaled in: idle, SIGTERM",
        workerId,
        p.facts.instanceId(),
        pool.name());
    return true;
  }

  /**
   * Asks busy worker {@code workerId} of {@code pool} to stop leasing, through the rebalance
   * recommendation on its metadata endpoint: under the workers' default rebalance policy ({@code
   * stop-leasing-then-exit}) it takes no new lease, finishes the items it holds and exits. Nothing
   * is killed: it gets no deadline. Its slot retires at once and its pool's count drops by one, so
   * the autoscaler neither counts nor replaces it; it is no interruption (its exit is a stop).
   * Changes nothing for a worker that is not running or already leaving.
   */
  synchronized boolean stopLeasing(Pool pool, String workerId) {
    WorkerSlot s = slots.slot(workerId);
    if (closed || s == null || !s.pool.equals(pool)) {
      return false;
    }
    WorkerProcess p = s.current;
    if (p == null || !p.alive() || p.interruption != null || p.stopping) {
      return false;
    }
    p.imds.announceRebalanceRecommendation();
    p.stopping = true;
    slots.retire(s);
    log.info(
        "worker {} ({}) of pool {} asked to stop leasing: it finishes its items and exits",
        workerId,
        p.facts.instanceId(),
        pool.name());
    return true;
  }

  /** The pool of a worker slot, if there is such a slot (retired ones included). */
  synchronized Optional<Pool> poolOf(String workerId) {
    return slots.poolOf(workerId);
  }

  synchronized void releaseLaunches() {
    launchesHeld = false;
  }

  synchronized boolean closed() {
    return closed;
  }

  /** Launches missing workers, replaces lost ones, and lowers the fleet to its desired counts. */
  synchronized void supervise() {
    if (closed) {
      return;
    }
    if (sizing == FleetSizing.AUTOSCALED) {
      superviseAutoscaled();
      return;
    }
    Instant now = clock.instant();
    int desired = desired(pools.spot());
    for (int n = 1; n <= desired; n++) {
      WorkerSlot s = slots.fixed(n);
      WorkerProcess p = s.current;
      if (p != null && !p.process.isAlive()) {
        exits.ended(s, p);
      }
      if (p == null || (p.ended && !p.stopping)) {
        if (launchesHeld || (s.notBefore != null && now.isBefore(s.notBefore))) {
          continue;
        }
        if (p != null) {
          s.restarts++;
          log.info("replacing worker {} (instance {} is gone)", s.id(), p.facts.instanceId());
        }
        starter.start(s);
      }
    }
    for (WorkerSlot s : slots.all()) {
      if (s.n > desired) {
        stop(List.of(s));
        slots.drop(s);
      }
    }
  }

  private void superviseAutoscaled() {
    Instant now = clock.instant();
    for (WorkerSlot s : slots.all()) {
      WorkerProcess p = s.current;
      if (p != null && !p.process.isAlive()) {
        exits.ended(s, p);
      }
      if (!slots.contains(s)) {
        continue; // retired as it ended
      }
      if ((p == null || (p.ended && !p.stopping)) && !launchesHeld) {
        if (s.notBefore == null || !now.isBefore(s.notBefore)) {
          if (p != null) {
            s.restarts++;
            log.info("replacing worker {} (instance {} is gone)", s.id(), p.facts.instanceId());
          }
          starter.start(s);
        }
      }
    }
    for (Pool pool : List.of(pools.spot(), pools.onDemand())) {
      List<WorkerSlot> mine = slots.in(pool);
      int want = desired(pool);
      // a lower count drops only slots without a running process; running ones go when named
      for (int i = mine.size() - 1; i >= 0 && mine.size() > want; i--) {
        WorkerSlot s = mine.get(i);
        if (s.current == null || s.current.ended) {
          slots.drop(s);
          mine.remove(i);
        }
      }
      for (int count = mine.size(); count < want; count++) {
        WorkerSlot s = slots.add(pool);
        if (!launchesHeld) {
          starter.start(s);
        }
      }
    }
  }

  private void onExit(WorkerSlot s, WorkerProcess p) {
    Duration delay;
    synchronized (this) {
      exits.ended(s, p);
      if (closed || p.stopping || s.current != p) {
        return;
      }
      delay = s.notBefore == null ? Duration.ZERO : Duration.between(clock.instant(), s.notBefore);
    }
    try {
      timer.schedule(this::supervise, delay.toMillis() + 50, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      // the fleet is closing
    }
  }

  /** The slot of {@code workerId}, if there is one; the caller holds this monitor. */
  WorkerSlot slot(String workerId) {
    return slots.slot(workerId);
  }

  /** The slots' ids; the caller holds this monitor. */
  List<String> ids() {
    return slots.ids();
  }

  /** The slots' live processes; the caller holds this monitor. */
  List<WorkerSlot> slotsWithLiveProcess() {
    List<WorkerSlot> live = new ArrayList<>();
    for (WorkerSlot s : slots.all()) {
      if (s.current != null && s.current.alive()) {
        live.add(s);
      }
    }
    return live;
  }

  synchronized List<WorkerView> views() {
    return slots.views(clock.instant());
  }

  /** The current process of a worker, ended or not. */
  synchronized Optional<WorkerProcess> current(String workerId) {
    WorkerSlot s = slots.slot(workerId);
    return s == null ? Optional.empty() : Optional.ofNullable(s.current);
  }

  /** The metadata endpoint of a worker's current process while it has not ended. */
  synchronized Optional<LocalImdsServer> metadataServer(String workerId) {
    WorkerSlot s = slot(workerId);
    return s == null || s.current == null || s.current.ended
        ? Optional.empty()
        : Optional.of(s.current.imds);
  }

  /** Sends SIGTERM to every worker, waits up to the grace period, then kills the rest. */
  synchronized boolean close() {
    if (closed) {
      return false;
    }
    closed = true;
    List<WorkerSlot> all = slots.all();
    all.addAll(slots.retired());
    stop(all);
    return true;
  }

  private void stop(List<WorkerSlot> list) {
    List<WorkerProcess> procs = new ArrayList<>();
    for (WorkerSlot s : list) {
      if (s.current != null && !s.current.ended) {
        procs.add(s.current);
      }
    }
    try {
      for (WorkerProcess p : procs) {
        p.stopping = true;
        if (p.process.isAlive()) {
          p.process.destroy(); // SIGTERM: the worker drains
        }
      }
      long deadline = System.nanoTime() + stopGrace.toNanos();
      for (WorkerProcess p : procs) {
        long left = Math.max(0, deadline - System.nanoTime());
        if (!p.process.waitFor(left, TimeUnit.NANOSECONDS)) {
          log.warn("worker {} did not stop within {}; killing it", p.facts.instanceId(), stopGrace);
          p.process.destroyForcibly();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      procs.forEach(p -> p.process.destroyForcibly());
    } catch (RuntimeException e) {
      log.warn("stopping workers failed", e);
    } finally {
      for (WorkerSlot s : list) {
        if (s.current != null && !s.current.process.isAlive()) {
          exits.ended(s, s.current);
        } else if (s.current != null) {
          s.current.closeMetadata();
        }
      }
    }
  }
}
