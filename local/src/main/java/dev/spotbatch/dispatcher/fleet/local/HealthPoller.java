package dev.spotbatch.dispatcher.fleet.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks every live worker process for its health (in parallel, each within the probe's timeout) and
 * keeps the answers on the process: its leases, whether it drains, and whether it was ever healthy
 * (which resets its slot's crash count).
 */
final class HealthPoller {
  private static final Logger log = LoggerFactory.getLogger(HealthPoller.class);

  /** How long one round waits for any single answer. */
  static final long ANSWER_TIMEOUT_SECONDS = 2;

  private final ProcessSupervisor supervisor;
  private final HealthProbe probe;

  HealthPoller(ProcessSupervisor supervisor, HealthProbe probe) {
    this.supervisor = supervisor;
    this.probe = probe;
  }

  /** One round over the live processes; never throws. */
  void refresh() {
    record Target(
        WorkerSlot slot, WorkerProcess proc, CompletableFuture<Optional<WorkerHealth>> answer) {}
    List<Target> targets = new ArrayList<>();
    synchronized (supervisor) {
      for (WorkerSlot s : supervisor.slotsWithLiveProcess()) {
        try {
          targets.add(new Target(s, s.current, probe.probe(s.current.port)));
        } catch (RuntimeException e) {
          log.debug("health probe of {} failed", s.id(), e);
        }
      }
    }
    for (Target t : targets) {
      Optional<WorkerHealth> h;
      try {
        h = t.answer().get(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (TimeoutException | ExecutionException | RuntimeException e) {
        h = Optional.empty();
      }
      synchronized (supervisor) {
        t.proc().health = h.orElse(null);
        if (h.isPresent() && h.get().up()) {
          t.proc().everHealthy = true;
          t.slot().crashes = 0;
        }
      }
    }
  }
}
