package dev.spotbatch.worker.drain;

import java.time.Duration;
import java.util.Objects;

/**
 * How the drain runs.
 *
 * @param margin the safety margin before the deadline: work must end by {@code deadline - margin}
 * @param rebalancePolicy what an advisory notice does
 * @param defaultGrace the deadline of a notice that names none (and of a plain stop / SIGTERM)
 * @param tick how often the drain re-plans and checks on its items
 */
public record DrainSettings(
    Duration margin, RebalancePolicy rebalancePolicy, Duration defaultGrace, Duration tick) {
  public DrainSettings {
    Objects.requireNonNull(margin, "margin");
    Objects.requireNonNull(rebalancePolicy, "rebalancePolicy");
    Objects.requireNonNull(defaultGrace, "defaultGrace");
    Objects.requireNonNull(tick, "tick");
    if (margin.isNegative() || defaultGrace.isNegative() || tick.isNegative() || tick.isZero()) {
      throw new IllegalArgumentException("drain margin and grace must be >= 0 and tick > 0");
    }
  }
}
