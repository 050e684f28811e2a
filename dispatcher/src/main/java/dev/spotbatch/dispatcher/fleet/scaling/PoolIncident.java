package dev.spotbatch.dispatcher.fleet.scaling;

import java.time.Instant;
import java.util.Objects;

/**
 * A recent interruption or launch failure in a pool. Giving the same incident on several ticks is
 * harmless: a launch failure blocks its pool until {@code at} plus the block TTL.
 *
 * @param detail what the provider said ({@code InsufficientInstanceCapacity: ...})
 */
public record PoolIncident(String pool, IncidentKind kind, Instant at, String detail) {
  public PoolIncident {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(at, "at");
    detail = detail == null ? "" : detail;
  }
}
