package dev.spotbatch.dispatcher.fleet.scaling;

import java.time.Instant;
import java.util.Objects;

/** One observed price of a pool's machine (e.g. from AWS's spot price history). */
public record PricePoint(String pool, Instant at, double usdPerHour) {
  public PricePoint {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(at, "at");
    if (!(usdPerHour >= 0) || Double.isInfinite(usdPerHour)) {
      throw new IllegalArgumentException("usdPerHour must be >= 0");
    }
  }
}
