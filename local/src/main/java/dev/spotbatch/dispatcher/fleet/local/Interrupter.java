package dev.spotbatch.dispatcher.fleet.local;

import dev.spotbatch.dispatcher.fleet.InterruptKind;
import dev.spotbatch.dispatcher.fleet.Interruption;
import dev.spotbatch.dispatcher.fleet.local.FleetExceptions.UnknownWorkerException;
import dev.spotbatch.dispatcher.fleet.local.FleetExceptions.WorkerNotInterruptibleException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a local worker away the way a cloud would: a spot notice, rebalance recommendation or
 * lifecycle termination on its metadata endpoint, SIGTERM, or SIGKILL; and enforces the deadline: a
 * process still alive at its deadline is killed, as AWS does. Counts the interruptions by kind.
 * Works under the {@link ProcessSupervisor}'s monitor, so an interruption never races a process's
 * end.
 */
final class Interrupter {
  private static final Logger log = LoggerFactory.getLogger(Interrupter.class);

  private final ProcessSupervisor supervisor;
  private final Clock clock;
  private final ScheduledExecutorService timer;
  private final EnumMap<InterruptKind, Long> counts = new EnumMap<>(InterruptKind.class);

  Interrupter(ProcessSupervisor supervisor, Clock clock, ScheduledExecutorService timer) {
    this.supervisor = supervisor;
    this.clock = clock;
    this.timer = timer;
    for (InterruptKind k : InterruptKind.values()) {
      counts.put(k, 0L);
    }
  }

  /**
   * Interrupts worker {@code workerId}'s current process.
   *
   * @param deadline for spot, lifecycle and sigterm: how long until the process is killed (null:
   *     the kind's default); ignored for rebalance and kill
   * @throws UnknownWorkerException if no worker has this id
   * @throws WorkerNotInterruptibleException if it has no live process or one already interrupted
   */
  Interruption interrupt(String workerId, InterruptKind kind, Duration deadline) {
    synchronized (supervisor) {
      WorkerSlot s = supervisor.slot(workerId);
      if (s == null) {
        throw new UnknownWorkerException(
            workerId,
            "no worker '"
                + workerId
                + "'; the workers are "
                + supervisor.ids()
                + " (GET /api/v1/fleet)");
      }
      WorkerProcess p = s.current;
      if (supervisor.closed() || p == null || p.ended || p.stopping || !p.process.isAlive()) {
        throw new WorkerNotInterruptibleException(
            workerId,
            "worker " + workerId + " has no running process now; wait for its replacement");
      }
      if (p.pending()) {
        throw new WorkerNotInterruptibleException(
            workerId,
            "worker "
                + workerId
                + " ("
                + p.facts.instanceId()
                + ") is already interrupted ("
                + p.interruption.kind().apiName()
                + ", deadline "
                + p.interruption.deadline()
                + ")");
      }
      return apply(s, p, kind, deadline);
    }
  }

  private Interruption apply(WorkerSlot s, WorkerProcess p, InterruptKind kind, Duration deadline) {
    Instant now = clock.instant();
    Instant until = kind.hasDeadline() ? deadline(now, deadline, kind) : null;
    Interruption i = new Interruption(s.id(), p.facts.instanceId(), kind, now, until);
    switch (kind) {
      case SPOT -> p.imds.announceSpotInterruption(until);
      case REBALANCE -> p.imds.announceRebalanceRecommendation();
      case LIFECYCLE -> p.imds.announceLifecycleTermination();
      case SIGTERM -> p.process.destroy();
      case KILL -> p.process.destroyForcibly();
    }
    if (kind != InterruptKind.REBALANCE || p.interruption == null) {
      p.interruption = i;
    }
    counts.merge(kind, 1L, Long::sum);
    if (until != null) {
      long delay = Math.max(0, Duration.between(clock.instant(), until).toMillis());
      p.enforcement = timer.schedule(() -> enforce(s, p), delay, TimeUnit.MILLISECONDS);
    }
    log.info(
        "interrupted worker {} ({}, pid {}): {}{}",
        s.id(),
        p.facts.instanceId(),
        p.process.pid(),
        kind.apiName(),
        until == null ? "" : ", deadline " + until);
    return i;
  }

  /**
   * The metadata service reports whole seconds: the deadline is rounded up (the worker gets at
   * least what was asked) and exactly what the worker is told is enforced.
   */
  private static Instant deadline(Instant now, Duration requested, InterruptKind kind) {
    Instant exact = now.plus(requested == null ? kind.defaultDeadline() : requested);
    Instant until = exact.truncatedTo(ChronoUnit.SECONDS);
    return until.isBefore(exact) ? until.plusSeconds(1) : until;
  }

  /** At the deadline: what AWS does to an instance that is still running. */
  private void enforce(WorkerSlot s, WorkerProcess p) {
    synchronized (supervisor) {
      if (p.ended || !p.process.isAlive()) {
        return;
      }
      p.killedAtDeadline = true;
      log.warn(
          "worker {} ({}) is still alive at its deadline {}; killing it",
          s.id(),
          p.facts.instanceId(),
          p.interruption == null ? null : p.interruption.deadline());
      p.process.destroyForcibly();
    }
  }

  /** Interruptions so far, by kind ({@code spot, rebalance, lifecycle, sigterm, kill}). */
  Map<String, Long> counts() {
    synchronized (supervisor) {
      Map<String, Long> out = new LinkedHashMap<>();
      counts.forEach((k, v) -> out.put(k.apiName(), v));
      return out;
    }
  }
}
