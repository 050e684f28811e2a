package dev.spotbatch.dispatcher.metrics;

import dev.spotbatch.dispatcher.cost.PriceAlert;
import dev.spotbatch.dispatcher.cost.PriceAlerts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Spot price alerts as meters, tagged {@code pool} (a fleet pool, or {@code provider/region/type}),
 * {@code instance_type}, {@code region}:
 *
 * <ul>
 *   <li>{@code spotbatch.spot.price.usd.per.hour}: the watched spot price now;
 *   <li>{@code spotbatch.spot.price.alert}: 1 while a threshold is passed, else 0;
 *   <li>{@code spotbatch.spot.price.alerts} (counter): how often an alert began.
 * </ul>
 *
 * Registered for a machine at the first check that watches it.
 */
public final class PriceAlertMetrics {
  /** The gauge the shipped alert rule reads. */
  public static final String ALERT = "spotbatch.spot.price.alert";

  private final MeterRegistry meters;
  private final Map<String, PriceAlert> latest = new ConcurrentHashMap<>();

  public PriceAlertMetrics(MeterRegistry meters) {
    this.meters = meters;
  }

  /** Records one check. */
  public void record(PriceAlerts.Report report) {
    for (PriceAlert a : report.alerts()) {
      if (latest.put(a.pool(), a) == null) {
        register(a);
      }
    }
    for (PriceAlert a : report.started()) {
      counter(a).increment();
    }
  }

  private void register(PriceAlert a) {
    Tags tags = tags(a);
    String pool = a.pool();
    Gauge.builder("spotbatch.spot.price.usd.per.hour", latest, m -> m.get(pool).usdPerHour())
        .description("the watched spot price, dollars per hour")
        .tags(tags)
        .register(meters);
    Gauge.builder(ALERT, latest, m -> m.get(pool).firing() ? 1 : 0)
        .description(
            "1 while the spot price passes an alert threshold (spotbatch.cost.price-alerts)")
        .tags(tags)
        .register(meters);
    counter(a);
  }

  private Counter counter(PriceAlert a) {
    return Counter.builder("spotbatch.spot.price.alerts")
        .description("spot price alerts that began")
        .tags(tags(a))
        .register(meters);
  }

  private static Tags tags(PriceAlert a) {
    return Tags.of(
        "pool", a.pool(),
        "instance_type", String.valueOf(a.instanceType()),
        "region", String.valueOf(a.region()));
  }
}
