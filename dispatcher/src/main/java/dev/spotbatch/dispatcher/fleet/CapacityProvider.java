package dev.spotbatch.dispatcher.fleet;

import dev.spotbatch.dispatcher.fleet.scaling.PoolIncident;
import dev.spotbatch.model.InstanceFacts;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The port to worker capacity: the pools a provider can fill, how many workers are wanted in each,
 * and the workers there are. The local process fleet implements it; an AWS Auto Scaling provider
 * (one group per pool, or one mixed-instances group) and a simulated market fit the same calls, and
 * the autoscaler drives any of them through {@link #setDesired(Pool, int)}.
 */
public interface CapacityProvider extends AutoCloseable {

  /** The provider's name as the API reports it ({@code local}, {@code aws}, ...). */
  String name();

  /** The pools this provider can launch workers into; never empty. */
  List<Pool> pools();

  /** The number of workers wanted in {@code pool}. */
  int desired(Pool pool);

  /**
   * Asks for {@code count} workers in {@code pool}; the provider launches or stops workers to
   * match, at once or on its next round.
   *
   * @throws IllegalArgumentException if {@code count < 0} or the pool is not one of {@link
   *     #pools()}
   */
  void setDesired(Pool pool, int count);

  /** The number of workers wanted over all pools. */
  default int desired() {
    return pools().stream().mapToInt(this::desired).sum();
  }

  /**
   * Brings what {@link #workers()} reports up to date (health, leases, instance states), as far as
   * the provider can within a short time; never throws.
   */
  void refresh();

  /** The workers there are now, as last refreshed. */
  List<WorkerView> workers();

  /**
   * Interruptions of this provider's workers so far, by kind ({@link InterruptKind#apiName()});
   * empty when the provider does not count them.
   */
  default Map<String, Long> interruptions() {
    return Map.of();
  }

  /**
   * Removes one worker the autoscaler picked as idle (no lease, no notice) and lowers its pool's
   * desired count by one, the way {@code TerminateInstanceInAutoScalingGroup} with {@code
   * ShouldDecrementDesiredCapacity} does. A provider checks what it can (the worker is still in the
   * pool, alive, without a notice and, where it can tell, without a lease) and refuses otherwise.
   * The default refuses: a provider that cannot remove one named worker is never scaled in (it
   * costs money, never work).
   *
   * @return true when the worker is being stopped
   */
  default boolean scaleIn(Pool pool, String workerId) {
    return false;
  }

  /**
   * Asks one busy worker the autoscaler named as surplus to stop leasing: it finishes the items it
   * holds and then goes (it is never stopped by this). A provider that takes it lowers the pool's
   * desired count by one, as {@link #scaleIn} does, and no longer reports the worker as working.
   * The default refuses (the worker keeps working until the backlog is gone and is scaled in once
   * idle: that costs money, never work).
   *
   * @return true when the worker was told and left the pool's desired count
   */
  default boolean stopLeasing(Pool pool, String workerId) {
    return false;
  }

  /**
   * The pool a worker belongs to: by default the pool whose provider, instance type, zone and
   * lifecycle match the worker's instance facts; empty when none does or nothing is known yet.
   */
  default Optional<Pool> poolOf(WorkerView worker) {
    if (worker.machine() == null || worker.machine().instance() == null) {
      return Optional.empty();
    }
    InstanceFacts f = worker.machine().instance();
    return pools().stream()
        .filter(
            p ->
                p.provider().equals(f.provider())
                    && Objects.equals(p.instanceType(), f.instanceType())
                    && Objects.equals(p.zone(), f.zone())
                    && p.lifecycle() == f.lifecycle())
        .findFirst();
  }

  /**
   * Recent failed launches per pool ({@code InsufficientInstanceCapacity}, spot limits, ...), as
   * the autoscaler's incidents; reporting the same failure on every call is harmless. Empty when
   * the provider has none to report.
   */
  default List<PoolIncident> launchFailures() {
    return List.of();
  }

  /** Stops every worker; never throws. */
  @Override
  void close();
}
