package dev.spotbatch.dispatcher.metrics;

import dev.spotbatch.dispatcher.cost.FleetCost;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Cost, savings and interruptions per pool as gauges over the telemetry's trailing window, tagged
 * {@code pool}, {@code instance_type}, {@code zone}, {@code lifecycle}:
 *
 * <ul>
 *   <li>{@code spotbatch.cost.usd}, {@code spotbatch.cost.on.demand.usd}, {@code
 *       spotbatch.cost.wasted.usd}: dollars in the window;
 *   <li>{@code spotbatch.cost.savings.ratio}: {@code 1 - usd / onDemandUsd};
 *   <li>{@code spotbatch.cost.machine.hours}, {@code spotbatch.cost.idle.hours};
 *   <li>{@code spotbatch.fleet.interruptions.per.hour}: interruptions per machine hour.
 * </ul>
 *
 * {@link #update()} reads the figures and registers gauges for new pools; call it on a schedule.
 */
public final class CostMetrics {
  private final MeterRegistry meters;
  private final Supplier<List<FleetCost.Line>> pools;
  private final Map<String, FleetCost.Line> latest = new ConcurrentHashMap<>();
  private final Set<String> registered = new HashSet<>();

  public CostMetrics(MeterRegistry meters, Supplier<List<FleetCost.Line>> pools) {
    this.meters = meters;
    this.pools = pools;
  }

  /** Reads the current figures; never throws. */
  public synchronized void update() {
    List<FleetCost.Line> lines;
    try {
      lines = pools.get();
    } catch (RuntimeException e) {
      return; // the gauges keep their last values; the next round tries again
    }
    for (FleetCost.Line l : lines) {
      latest.put(l.pool(), l);
      if (registered.add(l.pool())) {
        register(l);
      }
    }
  }

  private void register(FleetCost.Line l) {
    Tags tags =
        Tags.of(
            "pool", l.pool(),
            "instance_type", String.valueOf(l.instanceType()),
            "zone", String.valueOf(l.zone()),
            "lifecycle", String.valueOf(l.lifecycle()));
    gauge("spotbatch.cost.usd", "dollars in the window", tags, l.pool(), FleetCost.Line::usd);
    gauge(
        "spotbatch.cost.on.demand.usd",
        "the same machine time at on-demand prices",
        tags,
        l.pool(),
        FleetCost.Line::onDemandUsd);
    gauge(
        "spotbatch.cost.wasted.usd",
        "dollars spent on work done again",
        tags,
        l.pool(),
        FleetCost.Line::wastedUsd);
    gauge(
        "spotbatch.cost.savings.ratio",
        "1 - usd / onDemandUsd",
        tags,
        l.pool(),
        x -> x.savingsPct() == null ? 0 : x.savingsPct() / 100.0);
    gauge(
        "spotbatch.cost.machine.hours",
        "billed machine hours",
        tags,
        l.pool(),
        FleetCost.Line::machineHours);
    gauge(
        "spotbatch.cost.idle.hours",
        "idle machine hours",
        tags,
        l.pool(),
        FleetCost.Line::idleHours);
    gauge(
        "spotbatch.fleet.interruptions.per.hour",
        "interruptions per machine hour",
        tags,
        l.pool(),
        FleetCost.Line::interruptionsPerHour);
  }

  private void gauge(
      String name, String help, Tags tags, String pool, ToDoubleFunction<FleetCost.Line> f) {
    Gauge.builder(name, latest, m -> m.containsKey(pool) ? f.applyAsDouble(m.get(pool)) : 0)
        .description(help)
        .tags(tags)
        .register(meters);
  }
}
