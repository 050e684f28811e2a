package dev.spotbatch.dispatcher.fleet.autoscale;

import dev.spotbatch.dispatcher.fleet.PoolView;
import dev.spotbatch.dispatcher.fleet.scaling.Decision;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The autoscaler's meters: {@code spotbatch.fleet.pool.workers{pool,kind=desired|actual}} per pool,
 * {@code spotbatch.autoscaler.decisions{pool,reason}} (a counter per decision cause) and {@code
 * spotbatch.autoscaler.pools.blocked} (pools that get no new workers after a failed launch).
 */
final class AutoscalerMetrics {
  private final MeterRegistry meters;
  private final Map<String, PoolView> pools = new ConcurrentHashMap<>();
  private final Set<String> registered = ConcurrentHashMap.newKeySet();
  private volatile int blocked;

  AutoscalerMetrics(MeterRegistry meters) {
    this.meters = meters;
    Gauge.builder("spotbatch.autoscaler.pools.blocked", this, m -> m.blocked)
        .description("pools blocked after a failed launch")
        .register(meters);
  }

  void pools(List<PoolView> views) {
    int b = 0;
    for (PoolView v : views) {
      pools.put(v.name(), v);
      if (v.blockedUntil() != null) {
        b++;
      }
      if (registered.add(v.name())) {
        String name = v.name();
        Gauge.builder("spotbatch.fleet.pool.workers", pools, p -> count(p.get(name), true))
            .tags("pool", name, "kind", "desired")
            .description("workers wanted in the pool")
            .register(meters);
        Gauge.builder("spotbatch.fleet.pool.workers", pools, p -> count(p.get(name), false))
            .tags("pool", name, "kind", "actual")
            .description("workers present in the pool (starting, running or draining)")
            .register(meters);
      }
    }
    blocked = b;
  }

  void decision(Decision d) {
    meters
        .counter(
            "spotbatch.autoscaler.decisions",
            "pool",
            d.pool(),
            "reason",
            d.cause().name().toLowerCase(Locale.ROOT))
        .increment();
  }

  private static double count(PoolView v, boolean desired) {
    return v == null ? Double.NaN : desired ? v.desired() : v.actual();
  }
}
