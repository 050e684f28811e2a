package dev.spotbatch.dispatcher.cost;

import java.time.Instant;
import java.util.Objects;

/**
 * One point of a provider's spot price history: from {@code at} on, {@code instanceType} in {@code
 * zone} cost {@code usdPerHour} (AWS records a price when it changes, so the history is a step
 * function per zone).
 */
public record SpotSample(String instanceType, String zone, Instant at, double usdPerHour) {
  public SpotSample {
    Objects.requireNonNull(instanceType, "instanceType");
    Objects.requireNonNull(at, "at");
    zone = zone == null ? "" : zone;
    if (!(usdPerHour >= 0) || Double.isInfinite(usdPerHour)) {
      throw new IllegalArgumentException("usdPerHour must be >= 0, was " + usdPerHour);
    }
  }
}
