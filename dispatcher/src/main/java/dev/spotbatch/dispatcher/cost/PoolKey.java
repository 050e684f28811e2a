package dev.spotbatch.dispatcher.cost;

import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.Lifecycle;
import java.util.Locale;

/**
 * What makes machines interchangeable for cost and interruption rates: provider, instance type,
 * zone and lifecycle (the dimensions of a fleet {@code Pool}).
 */
public record PoolKey(String provider, String instanceType, String zone, Lifecycle lifecycle) {
  public static PoolKey of(InstanceFacts i) {
    return new PoolKey(i.provider(), i.instanceType(), i.zone(), i.lifecycle());
  }

  /** {@code aws/g5.xlarge/us-east-1a/spot}. */
  public String name() {
    return provider
        + "/"
        + instanceType
        + "/"
        + zone
        + "/"
        + lifecycle.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
