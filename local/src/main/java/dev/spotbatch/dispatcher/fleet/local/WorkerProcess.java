package dev.spotbatch.dispatcher.fleet.local;

import dev.spotbatch.dispatcher.fleet.InterruptKind;
import dev.spotbatch.dispatcher.fleet.Interruption;
import dev.spotbatch.localcloud.LocalImdsServer;
import dev.spotbatch.model.InstanceFacts;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One process of a worker slot, with its identity, metadata endpoint and Actuator port. Mutable;
 * guarded by the {@link ProcessSupervisor}'s monitor.
 */
final class WorkerProcess {
  private static final Logger log = LoggerFactory.getLogger(WorkerProcess.class);

  final int generation;
  final InstanceFacts facts;
  final LocalImdsServer imds;
  final int port;
  final Process process;
  final Instant startedAt;
  Interruption interruption;
  ScheduledFuture<?> enforcement;
  boolean stopping;
  boolean killedAtDeadline;
  boolean ended;
  WorkerHealth health;
  boolean everHealthy;

  WorkerProcess(
      int generation,
      InstanceFacts facts,
      LocalImdsServer imds,
      int port,
      Process process,
      Instant startedAt) {
    this.generation = generation;
    this.facts = facts;
    this.imds = imds;
    this.port = port;
    this.process = process;
    this.startedAt = startedAt;
  }

  /** An interruption that takes the process away is on its way (a rebalance does not). */
  boolean pending() {
    return interruption != null && interruption.kind() != InterruptKind.REBALANCE;
  }

  /** Not known to have ended, and the OS says it runs. */
  boolean alive() {
    return !ended && process.isAlive();
  }

  void closeMetadata() {
    try {
      imds.close();
    } catch (RuntimeException e) {
      log.debug("closing a metadata endpoint failed", e);
    }
  }
}
