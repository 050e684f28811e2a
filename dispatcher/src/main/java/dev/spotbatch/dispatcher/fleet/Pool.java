package dev.spotbatch.dispatcher.fleet;

import dev.spotbatch.model.Lifecycle;
import java.util.Objects;

/**
 * A pool of interchangeable capacity: one provider, instance type, zone (or region) and lifecycle.
 * The autoscaler sets a desired count per pool; a provider launches every worker of a pool alike.
 *
 * @param name unique within its provider ({@code local-spot}, {@code
 *     aws-g5.xlarge-eu-west-1a-spot})
 * @param provider the capacity provider's {@link CapacityProvider#name() name}
 */
public record Pool(
    String name, String provider, String instanceType, String zone, Lifecycle lifecycle) {
  public Pool {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(lifecycle, "lifecycle");
  }
}
