package dev.spotbatch.dispatcher.fleet.scaling;

import dev.spotbatch.model.Lifecycle;
import java.util.Objects;

/**
 * What a pool is: interchangeable capacity of one provider, instance type, zone (or region) and
 * lifecycle, at a price.
 *
 * @param name unique within a snapshot ({@code aws-g5.xlarge-us-east-1a-spot})
 * @param provider the capacity provider's name ({@code local}, {@code aws}, ...)
 * @param zone the zone, or the region where a pool spans zones
 * @param lifecycle {@link Lifecycle#SPOT} or {@link Lifecycle#ON_DEMAND}
 * @param usdPerHour the price of one worker of this pool now
 */
public record PoolSpec(
    String name,
    String provider,
    String instanceType,
    String zone,
    Lifecycle lifecycle,
    double usdPerHour) {
  public PoolSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(instanceType, "instanceType");
    Objects.requireNonNull(zone, "zone");
    if (lifecycle != Lifecycle.SPOT && lifecycle != Lifecycle.ON_DEMAND) {
      throw new IllegalArgumentException(
          "pool " + name + ": lifecycle must be SPOT or ON_DEMAND, not " + lifecycle);
    }
    if (!(usdPerHour >= 0) || Double.isInfinite(usdPerHour)) {
      throw new IllegalArgumentException("pool " + name + ": usdPerHour must be >= 0");
    }
  }

  public boolean spot() {
    return lifecycle == Lifecycle.SPOT;
  }
}
