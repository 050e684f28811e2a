package dev.spotbatch.dispatcher.config;

import dev.spotbatch.dispatcher.cost.PriceAlertRule;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code spotbatch.cost.price-alerts.*}: when a spot price is too high. Each rule names a machine
 * ({@code provider}, {@code region}, {@code instance-type}; left out = any) and a threshold: {@code
 * max-usd-per-hour} and/or {@code max-pct-of-on-demand}. Without rules: {@link
 * PriceAlertRule#defaultRule()} (any spot machine above 90% of on-demand).
 *
 * @param enabled false: no alerts at all
 */
@ConfigurationProperties("spotbatch.cost.price-alerts")
public record PriceAlertProperties(
    @DefaultValue("true") boolean enabled, List<PriceAlertRule> rules) {
  /** The rules in force. */
  public List<PriceAlertRule> rulesInForce() {
    if (!enabled) {
      return List.of();
    }
    return rules == null || rules.isEmpty() ? List.of(PriceAlertRule.defaultRule()) : rules;
  }
}
