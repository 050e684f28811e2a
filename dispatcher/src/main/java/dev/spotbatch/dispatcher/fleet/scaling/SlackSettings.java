package dev.spotbatch.dispatcher.fleet.scaling;

import java.time.Duration;
import java.util.Objects;

/**
 * How the slack policy uses a deadline's room.
 *
 * @param mode off, or run in the cheapest hours
 * @param minSaving the cheapest hours must be at least this much cheaper (0..1) than running now,
 *     or the job runs now: waiting has a risk of its own
 * @param workFactor the hours a job needs at the fleet's maximum are multiplied by this (>= 1), for
 *     interruptions, launches and a slower rate than measured
 * @param launchAllowance added to the hours needed: the fleet's launch before work starts
 * @param horizon no hour further than this is considered
 */
public record SlackSettings(
    SlackMode mode,
    double minSaving,
    double workFactor,
    Duration launchAllowance,
    Duration horizon) {
  public SlackSettings {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(launchAllowance, "launchAllowance");
    Objects.requireNonNull(horizon, "horizon");
    if (!(minSaving >= 0 && minSaving < 1)) {
      throw new IllegalArgumentException("slack: minSaving must be within 0..1");
    }
    if (!(workFactor >= 1 && workFactor < 100)) {
      throw new IllegalArgumentException("slack: workFactor must be >= 1");
    }
    if (launchAllowance.isNegative() || horizon.toHours() < 1 || horizon.toDays() > 31) {
      throw new IllegalArgumentException(
          "slack: launchAllowance must be >= 0 and horizon 1 hour..31 days");
    }
  }

  /** Slack not used. */
  public static final SlackSettings OFF =
      new SlackSettings(SlackMode.OFF, 0.05, 1.3, Duration.ofMinutes(15), Duration.ofDays(7));

  /** The cheapest hours, with the defaults: 5% saving at least, 30% more time, 15 min launch. */
  public static SlackSettings cheapestHours() {
    return new SlackSettings(
        SlackMode.CHEAPEST_HOURS, 0.05, 1.3, Duration.ofMinutes(15), Duration.ofDays(7));
  }
}
