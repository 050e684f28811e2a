package dev.spotbatch.dispatcher.fleet.scaling;

import java.time.Instant;
import java.util.OptionalDouble;

/**
 * The expected price of a pool's machine at a future hour, from its price history. The slack policy
 * uses it to move work whose deadline leaves room into cheaper hours.
 */
public interface PriceForecast {
  /** No history: every pool is expected to keep its current price (nothing is deferred). */
  PriceForecast NONE = (pool, at) -> OptionalDouble.empty();

  /** The expected $/hour of {@code pool} at {@code at}; empty when the history has nothing. */
  OptionalDouble usdPerHour(String pool, Instant at);
}
