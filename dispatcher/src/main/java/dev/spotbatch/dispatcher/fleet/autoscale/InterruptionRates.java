package dev.spotbatch.dispatcher.fleet.autoscale;

import dev.spotbatch.dispatcher.fleet.Pool;
import java.util.OptionalDouble;

/**
 * The measured interruption rate of each pool, per worker-hour. The default knows none: the
 * autoscaler then estimates the rate from the interruptions it saw recently, starting from the
 * assumed spot rate. The cost telemetry provides a measured source.
 */
@FunctionalInterface
public interface InterruptionRates {
  /** Nothing measured. */
  InterruptionRates NONE = pool -> OptionalDouble.empty();

  /** Interruptions per worker-hour of {@code pool}; empty when not measured. */
  OptionalDouble perWorkerHour(Pool pool);
}
