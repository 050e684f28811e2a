package dev.spotbatch.dispatcher.fleet;

import java.util.List;
import java.util.Map;

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

  /** Stops every worker; never throws. */
  @Override
  void close();
}
