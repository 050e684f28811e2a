package dev.spotbatch.dispatcher.fleet.autoscale;

import dev.spotbatch.dispatcher.fleet.CapacityProvider;
import dev.spotbatch.dispatcher.fleet.Pool;
import dev.spotbatch.dispatcher.fleet.scaling.PriceForecast;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.Supplier;

/**
 * The slack policy's forecast for the running fleet: a pool's name is looked up among the
 * provider's pools and its machine's expected price read from a {@link MachineForecast} (the spot
 * price history). A pool the provider does not have, or a machine without history, has no forecast.
 */
public final class PoolPriceForecast implements PriceForecast {
  /** The expected price of one kind of machine at an hour (the spot price history's forecast). */
  @FunctionalInterface
  public interface MachineForecast {
    OptionalDouble expected(String provider, String zone, String instanceType, Instant at);
  }

  private final Supplier<CapacityProvider> provider;
  private final MachineForecast machines;

  /**
   * @param provider the capacity provider, or null when there is none (yet)
   */
  public PoolPriceForecast(Supplier<CapacityProvider> provider, MachineForecast machines) {
    this.provider = Objects.requireNonNull(provider, "provider");
    this.machines = Objects.requireNonNull(machines, "machines");
  }

  @Override
  public OptionalDouble usdPerHour(String pool, Instant at) {
    CapacityProvider capacity = provider.get();
    if (capacity == null) {
      return OptionalDouble.empty();
    }
    for (Pool p : capacity.pools()) {
      if (p.name().equals(pool)) {
        return machines.expected(p.provider(), p.zone(), p.instanceType(), at);
      }
    }
    return OptionalDouble.empty();
  }
}
