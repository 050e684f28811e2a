package dev.spotbatch.dispatcher.cost;

import dev.spotbatch.model.Lifecycle;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Dollars per hour by provider, instance type and lifecycle. The {@code local} provider costs
 * nothing. A machine whose lifecycle is unknown is priced as on-demand (the conservative choice).
 */
public final class PriceBook {
  private final Map<String, Double> prices = new HashMap<>();

  public PriceBook(List<Price> entries) {
    for (Price p : entries) {
      prices.put(key(p.provider(), p.instanceType(), p.lifecycle()), p.usdPerHour());
    }
  }

  /** The hourly price, or empty if the book does not know this machine. */
  public OptionalDouble usdPerHour(String provider, String instanceType, Lifecycle lifecycle) {
    if ("local".equals(provider)) {
      return OptionalDouble.of(0);
    }
    Lifecycle l = lifecycle == Lifecycle.UNKNOWN ? Lifecycle.ON_DEMAND : lifecycle;
    Double p = prices.get(key(provider, instanceType, l));
    return p == null ? OptionalDouble.empty() : OptionalDouble.of(p);
  }

  private static String key(String provider, String type, Lifecycle lifecycle) {
    return provider.toLowerCase(Locale.ROOT)
        + "|"
        + type.toLowerCase(Locale.ROOT)
        + "|"
        + lifecycle;
  }
}
