package dev.spotbatch.drain;

import java.time.Duration;
import java.util.Objects;

/**
 * How the drain runs.
 *
 * @param margins how long before the deadline each step of the drain comes
 * @param rebalancePolicy what an advisory notice does
 * @param defaultGrace the deadline of a notice that names none (and of a plain stop / SIGTERM)
 * @param tick how often the drain re-plans and checks on its items
 */
public record DrainSettings(
    Margins margins, RebalancePolicy rebalancePolicy, Duration defaultGrace, Duration tick) {
  public DrainSettings {
    Objects.requireNonNull(margins, "margins");
    Objects.requireNonNull(rebalancePolicy, "rebalancePolicy");
    Objects.requireNonNull(defaultGrace, "defaultGrace");
    Objects.requireNonNull(tick, "tick");
    if (defaultGrace.isNegative() || tick.isNegative() || tick.isZero()) {
      throw new IllegalArgumentException("drain grace must be >= 0 and tick > 0");
    }
  }

  /**
   * How long before the deadline each step of the drain comes, latest step last: {@code checkpoint
   * >= abandon >= exit >= 0}.
   *
   * @param checkpoint the safety margin: running work must end by {@code deadline - checkpoint}; an
   *     item that would not finish by then is told to checkpoint, and at that moment every item
   *     still running is
   * @param abandon at {@code deadline - abandon} what still runs is abandoned to its lease and the
   *     drain ends; the time left is for the report, stopping the runtime and exiting
   * @param exit stopping the runtime is waited for until {@code deadline - exit} at most, so the
   *     process exits before the deadline even when an item thread does not end
   */
  public record Margins(Duration checkpoint, Duration abandon, Duration exit) {
    public Margins {
      Objects.requireNonNull(checkpoint, "checkpoint");
      Objects.requireNonNull(abandon, "abandon");
      Objects.requireNonNull(exit, "exit");
      if (exit.isNegative() || abandon.compareTo(exit) < 0 || checkpoint.compareTo(abandon) < 0) {
        throw new IllegalArgumentException(
            "drain margins must satisfy checkpoint >= abandon >= exit >= 0, were "
                + checkpoint
                + ", "
                + abandon
                + ", "
                + exit);
      }
    }
  }
}
