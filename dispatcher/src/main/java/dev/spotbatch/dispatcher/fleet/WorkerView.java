package dev.spotbatch.dispatcher.fleet;

import dev.spotbatch.model.InstanceFacts;
import java.time.Instant;
import java.util.List;

/**
 * One worker (slot) of a fleet.
 *
 * @param id the worker id ({@code local-1}); stable across replacements
 * @param pid the current (or last) process id (local fleet)
 * @param generation how many processes this slot has had (1 for the first)
 * @param instance the current process's instance facts (as its metadata endpoint serves them)
 * @param metadataEndpoint the process's IMDSv2 endpoint (local fleet)
 * @param managementPort the process's Actuator port (local fleet)
 * @param leases what the worker's health reports (null: unknown)
 * @param activeLeases how many leases the worker's health reports (null: unknown)
 * @param interruption the pending interruption of the current process (null: none)
 * @param history the last ended processes of this slot, newest first
 */
public record WorkerView(
    String id,
    WorkerState state,
    Long pid,
    Instant startedAt,
    int restarts,
    int generation,
    InstanceFacts instance,
    String metadataEndpoint,
    Integer managementPort,
    List<Object> leases,
    Integer activeLeases,
    Interruption interruption,
    List<PastInstance> history) {
  public WorkerView {
    history = history == null ? List.of() : List.copyOf(history);
  }

  /** A worker that only has an id, a state and a process. */
  public WorkerView(String id, WorkerState state, Long pid, Instant startedAt, int restarts) {
    this(id, state, pid, startedAt, restarts, 0, null, null, null, null, null, null, List.of());
  }

  /** True while the worker has a live process. */
  public boolean alive() {
    return state == WorkerState.STARTING
        || state == WorkerState.RUNNING
        || state == WorkerState.DRAINING;
  }
}
