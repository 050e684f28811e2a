package dev.spotbatch.dispatcher.fleet.local;

import dev.spotbatch.dispatcher.fleet.PastInstance;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bookkeeping when a worker process ends: its slot's history, its metadata endpoint and
 * deadline, and when (or whether) the slot runs a process again. Called under the {@link
 * ProcessSupervisor}'s monitor.
 */
final class ExitRecorder {
  // the supervisor's log: operators follow one logger for the fleet's processes
  private static final Logger log = LoggerFactory.getLogger(ProcessSupervisor.class);

  private final Clock clock;
  private final int historySize;
  private final FleetSizing sizing;
  private final SlotTable slots;

  ExitRecorder(Clock clock, int historySize, FleetSizing sizing, SlotTable slots) {
    this.clock = clock;
    this.historySize = historySize;
    this.sizing = sizing;
    this.slots = slots;
  }

  /** Records the end of a process once: history, IMDS closed, deadline cancelled, backoff. */
  void ended(WorkerSlot s, WorkerProcess p) {
    if (p.ended) {
      return;
    }
    p.ended = true;
    Instant at = clock.instant();
    Integer code = null;
    try {
      code = p.process.exitValue();
    } catch (IllegalThreadStateException e) {
      // not really gone yet
    }
    if (p.enforcement != null) {
      p.enforcement.cancel(false);
    }
    p.closeMetadata();
    Boolean beforeDeadline = null;
    if (p.interruption != null && p.interruption.deadline() != null) {
      beforeDeadline = !p.killedAtDeadline && !at.isAfter(p.interruption.deadline());
    }
    s.remember(
        new PastInstance(
            p.facts.instanceId(),
            p.generation,
            p.process.pid(),
            p.startedAt,
            at,
            code,
            p.interruption,
            beforeDeadline,
            p.killedAtDeadline),
        historySize);
    if (p.stopping) {
      log.info("worker {} ({}) stopped with exit code {}", s.id(), p.facts.instanceId(), code);
      return;
    }
    if (sizing == FleetSizing.AUTOSCALED && p.interruption != null) {
      // taken away (after a notice, or killed): the autoscaler replaces it, at once when it saw
      // the notice (while the worker drained), else on its next tick
      slots.retire(s);
      log.info(
          "worker {} ({}) left after {} with exit code {}; not relaunched",
          s.id(),
          p.facts.instanceId(),
          p.interruption.kind().apiName(),
          code);
      return;
    }
    if (p.interruption != null) {
      s.crashes = 0;
      s.notBefore = at.plus(CrashBackoff.AFTER_INTERRUPTION);
      log.info(
          "worker {} ({}) exited with {} after interruption {}{}",
          s.id(),
          p.facts.instanceId(),
          code,
          p.interruption.kind().apiName(),
          beforeDeadline == null
              ? ""
              : beforeDeadline ? ", before its deadline" : ", NOT before its deadline");
    } else {
      s.crashes = p.everHealthy ? 0 : s.crashes + 1;
      Duration wait = CrashBackoff.afterCrash(s.crashes);
      s.notBefore = at.plus(wait);
      log.warn(
          "worker {} ({}) exited unexpectedly with {}; replacing it in {} s",
          s.id(),
          p.facts.instanceId(),
          code,
          wait.toSeconds());
    }
  }
}
