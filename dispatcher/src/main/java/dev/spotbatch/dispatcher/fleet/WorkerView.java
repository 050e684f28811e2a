package dev.spotbatch.dispatcher.fleet;

import dev.spotbatch.model.InstanceFacts;
import java.time.Instant;
import java.util.List;

/**
 * One worker of a fleet as its capacity provider sees it: a stable id, and the machine (process or
 * instance) behind it now.
 *
 * @param id the worker id ({@code local-1}); stable across replacements
 * @param restarts how many times a lost machine of this worker was replaced
 * @param machine the current (or last) machine; null when none was ever started
 * @param leases what the worker last reported of its leases; null while unknown or not running
 * @param interruption the pending interruption of the current machine; null: none
 * @param history the last ended machines of this worker, newest first
 */
public record WorkerView(
    String id,
    WorkerState state,
    int restarts,
    Machine machine,
    LeaseReport leases,
    Interruption interruption,
    List<PastInstance> history) {
  public WorkerView {
    history = history == null ? List.of() : List.copyOf(history);
  }

  /**
   * The machine behind a worker. Fields a provider does not have are null.
   *
   * @param generation how many machines this worker has had (1 for the first)
   * @param instance its instance facts, as its metadata endpoint serves them
   * @param pid its process id (local fleet)
   * @param metadataEndpoint its own IMDSv2 endpoint while it runs (local fleet)
   * @param managementPort its Actuator port (local fleet)
   */
  public record Machine(
      int generation,
      InstanceFacts instance,
      Instant startedAt,
      Long pid,
      String metadataEndpoint,
      Integer managementPort) {}

  /**
   * A worker's own report of its leases (its health endpoint).
   *
   * @param active how many leases it holds (null: not reported)
   * @param leases one entry per lease as the worker describes it (null: not reported)
   */
  public record LeaseReport(Integer active, List<Object> leases) {}

  /** True while the worker has a live machine. */
  public boolean alive() {
    return state == WorkerState.STARTING
        || state == WorkerState.RUNNING
        || state == WorkerState.DRAINING;
  }

  /** The current machine's generation; 0 before the first. */
  public int generation() {
    return machine == null ? 0 : machine.generation();
  }
}
