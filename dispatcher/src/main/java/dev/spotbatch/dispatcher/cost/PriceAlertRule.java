package dev.spotbatch.dispatcher.cost;

import java.util.Locale;

/**
 * When a spot price is too high: above {@code maxUsdPerHour}, or above {@code maxPctOfOnDemand}
 * percent of the same machine's on-demand price (either one fires the rule). A rule applies to the
 * machines it names; {@code *} (or nothing) matches any.
 *
 * @param provider {@code aws}, {@code local}, ... or {@code *}
 * @param region a region ({@code us-east-1}) or {@code *}
 * @param instanceType an instance type ({@code p5.48xlarge}) or {@code *}
 * @param maxUsdPerHour dollars per hour, or null
 * @param maxPctOfOnDemand 0..1000 percent of on-demand, or null
 */
public record PriceAlertRule(
    String provider,
    String region,
    String instanceType,
    Double maxUsdPerHour,
    Double maxPctOfOnDemand) {
  /** Matches anything. */
  public static final String ANY = "*";

  public PriceAlertRule {
    provider = blankToAny(provider);
    region = blankToAny(region);
    instanceType = blankToAny(instanceType);
    if (maxUsdPerHour == null && maxPctOfOnDemand == null) {
      throw new IllegalArgumentException(
          "a price alert needs max-usd-per-hour or max-pct-of-on-demand (or both)");
    }
    if (maxUsdPerHour != null && !(maxUsdPerHour > 0 && maxUsdPerHour < 1e6)) {
      throw new IllegalArgumentException(
          "max-usd-per-hour must be a positive number of dollars per hour, was " + maxUsdPerHour);
    }
    if (maxPctOfOnDemand != null && !(maxPctOfOnDemand > 0 && maxPctOfOnDemand <= 1000)) {
      throw new IllegalArgumentException(
          "max-pct-of-on-demand must be a percentage within 0..1000 (90 = 90% of on-demand), was "
              + maxPctOfOnDemand);
    }
  }

  /** The rule that ships: any spot machine above 90% of its on-demand price (spot barely pays). */
  public static PriceAlertRule defaultRule() {
    return new PriceAlertRule(ANY, ANY, ANY, null, 90.0);
  }

  /** True when this rule is about the machine. */
  public boolean matches(String provider, String region, String instanceType) {
    return same(this.provider, provider)
        && same(this.region, region)
        && same(this.instanceType, instanceType);
  }

  /** True when it names one instance type (its machines are watched with or without a fleet). */
  public boolean namesInstanceType() {
    return !ANY.equals(instanceType);
  }

  /** {@code p5.48xlarge in any region of aws: over $25.00/h or 80% of on-demand}. */
  public String describe() {
    StringBuilder s = new StringBuilder();
    s.append(ANY.equals(instanceType) ? "any spot machine" : instanceType);
    s.append(ANY.equals(region) ? " in any region" : " in " + region);
    s.append(ANY.equals(provider) ? "" : " of " + provider);
    s.append(": over ");
    if (maxUsdPerHour != null) {
      s.append(String.format(Locale.ROOT, "$%.4f/h", maxUsdPerHour));
    }
    if (maxPctOfOnDemand != null) {
      s.append(maxUsdPerHour != null ? " or " : "");
      s.append(String.format(Locale.ROOT, "%.0f%% of on-demand", maxPctOfOnDemand));
    }
    return s.toString();
  }

  private static boolean same(String pattern, String value) {
    return ANY.equals(pattern) || pattern.equalsIgnoreCase(String.valueOf(value));
  }

  private static String blankToAny(String s) {
    return s == null || s.isBlank() ? ANY : s.trim();
  }
}
