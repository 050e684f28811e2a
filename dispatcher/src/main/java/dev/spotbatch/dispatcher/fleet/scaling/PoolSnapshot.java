package dev.spotbatch.dispatcher.fleet.scaling;

import java.time.Instant;
import java.util.Objects;

/**
 * One pool now, as its provider reports it.
 *
 * @param desired the desired count the provider holds now (machines, leaving ones included)
 * @param actual the machines the provider has now
 * @param maxSize the most machines the provider allows in this pool; null: no limit of its own
 * @param blockedUntil the provider's own block (e.g. a launch failure it saw); null: none. The
 *     autoscaler also blocks pools from the {@link PoolIncident launch failures} it is given.
 * @param measured what our fleet measured of this pool
 */
public record PoolSnapshot(
    PoolSpec spec,
    int desired,
    int actual,
    Integer maxSize,
    Instant blockedUntil,
    PoolMeasurements measured) {
  public PoolSnapshot {
    Objects.requireNonNull(spec, "spec");
    measured = measured == null ? PoolMeasurements.NONE : measured;
    if (desired < 0 || actual < 0 || (maxSize != null && maxSize < 0)) {
      throw new IllegalArgumentException("pool " + spec.name() + ": counts must be >= 0");
    }
  }

  /** A pool with no limit, no block and nothing measured. */
  public static PoolSnapshot of(PoolSpec spec, int desired, int actual) {
    return new PoolSnapshot(spec, desired, actual, null, null, PoolMeasurements.NONE);
  }

  public String name() {
    return spec.name();
  }
}
