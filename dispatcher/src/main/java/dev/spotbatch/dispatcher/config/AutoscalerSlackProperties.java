package dev.spotbatch.dispatcher.config;

import dev.spotbatch.dispatcher.fleet.scaling.SlackMode;
import dev.spotbatch.dispatcher.fleet.scaling.SlackSettings;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code spotbatch.autoscaler.slack.*}: whether a job whose deadline leaves room waits for cheaper
 * hours (by the spot price history's hour-of-week forecast). Left out: {@link
 * SlackSettings#cheapestHours()}'s defaults. See the README's Autoscaler section.
 *
 * @param mode {@code CHEAPEST_HOURS} (the default) or {@code OFF}
 */
@ConfigurationProperties("spotbatch.autoscaler.slack")
public record AutoscalerSlackProperties(
    SlackMode mode,
    Double minSaving,
    Double workFactor,
    Duration launchAllowance,
    Duration horizon) {

  /** The validated settings; the message names the setting to fix. */
  public SlackSettings settings() {
    SlackSettings d = SlackSettings.cheapestHours();
    try {
      return new SlackSettings(
          mode == null ? d.mode() : mode,
          minSaving == null ? d.minSaving() : minSaving,
          workFactor == null ? d.workFactor() : workFactor,
          launchAllowance == null ? d.launchAllowance() : launchAllowance,
          horizon == null ? d.horizon() : horizon);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "spotbatch.autoscaler.slack.*: " + e.getMessage().replaceFirst("^slack: ", ""), e);
    }
  }
}
