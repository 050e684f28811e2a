package dev.spotbatch.dispatcher.fleet.autoscale;

import dev.spotbatch.dispatcher.fleet.Pool;

/** The hourly price of one worker of a pool, for ranking pools by cost per record. */
@FunctionalInterface
public interface PoolPrices {
  /** Dollars per hour of one worker of {@code pool}; 0 when unknown. */
  double usdPerHour(Pool pool);
}
