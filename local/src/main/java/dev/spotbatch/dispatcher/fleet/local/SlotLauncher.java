package dev.spotbatch.dispatcher.fleet.local;

import dev.spotbatch.localcloud.LocalImdsServer;
import dev.spotbatch.model.InstanceFacts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a slot's next process: its instance identity and metadata endpoint, a free management
 * port, the {@link WorkerCommand} run by the {@link LocalProcessFleet.Launcher}; on failure sets
 * the slot's retry time. Called under the {@link ProcessSupervisor}'s monitor.
 */
final class SlotLauncher {
  // the supervisor's log: operators follow one logger for the fleet's processes
  private static final Logger log = LoggerFactory.getLogger(ProcessSupervisor.class);

  private final WorkerCommand command;
  private final LocalProcessFleet.Launcher launcher;
  private final LocalProcessFleet.PortAllocator ports;
  private final Clock clock;
  private final Path workerJar;
  private final BiConsumer<WorkerSlot, WorkerProcess> onExit;

  /**
   * @param onExit told (on a thread of the process API) when a started process exits
   */
  SlotLauncher(
      WorkerCommand command,
      LocalProcessFleet.Launcher launcher,
      LocalProcessFleet.PortAllocator ports,
      Clock clock,
      Path workerJar,
      BiConsumer<WorkerSlot, WorkerProcess> onExit) {
    this.command = command;
    this.launcher = launcher;
    this.ports = ports;
    this.clock = clock;
    this.workerJar = workerJar;
    this.onExit = onExit;
  }

  void start(WorkerSlot s) {
    if (!Files.isRegularFile(workerJar)) {
      log.error(
          "cannot start worker {}: worker jar {} not found (set spotbatch.fleet.local.worker-jar)",
          s.id(),
          workerJar);
      s.notBefore = clock.instant().plusSeconds(30);
      return;
    }
    int generation = s.generation + 1;
    InstanceFacts facts = LocalInstance.facts(s.n, generation, s.pool);
    LocalImdsServer imds = null;
    try {
      imds = LocalInstance.startMetadata(facts.instanceId(), s.pool, clock);
      int port = ports.freePort();
      Path logFile = command.logFile(s.n);
      Process process =
          launcher.launch(
              command.command(s.n, port), command.environment(imds.endpoint()), logFile);
      WorkerProcess p = new WorkerProcess(generation, facts, imds, port, process, clock.instant());
      s.generation = generation;
      s.current = p;
      s.notBefore = null;
      process.onExit().whenComplete((x, e) -> onExit.accept(s, p));
      log.info(
          "worker {} started as {}: pid {}, metadata {}, management port {}, log {}",
          s.id(),
          facts.instanceId(),
          process.pid(),
          imds.endpoint(),
          port,
          logFile);
    } catch (IOException | RuntimeException e) {
      log.error("cannot start worker {}", s.id(), e);
      if (imds != null) {
        try {
          imds.close();
        } catch (RuntimeException suppressed) {
          log.debug("closing a metadata endpoint failed", suppressed);
        }
      }
      s.notBefore = clock.instant().plusSeconds(5);
    }
  }
}
