package dev.spotbatch.dispatcher.cost;

import dev.spotbatch.model.Lifecycle;
import java.util.Objects;

/** The hourly price of one kind of machine. */
public record Price(String provider, String instanceType, Lifecycle lifecycle, double usdPerHour) {
  public Price {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(instanceType, "instanceType");
    Objects.requireNonNull(lifecycle, "lifecycle");
    if (usdPerHour < 0 || Double.isNaN(usdPerHour)) {
      throw new IllegalArgumentException("usdPerHour must be >= 0, was " + usdPerHour);
    }
  }
}
