package dev.spotbatch.dispatcher.cost;

import dev.spotbatch.dispatcher.job.UsageRow;
import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.Lifecycle;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The fleet's cost in a window ({@code GET /api/v1/cost}): every machine's billed time in the
 * window at its price, per pool and in total, split into busy (the jobs' shares) and idle (boot,
 * waiting, draining: fleet overhead) by {@link Attribution}; interruptions per machine hour;
 * dollars per 1,000 committed records; and a monthly projection at the window's rate.
 */
public final class CostReport {
  /** Hours in an average month (8,760 / 12), for the monthly projection. */
  static final double HOURS_PER_MONTH = 730;

  private final CostStore store;
  private final PriceBook prices;

  public CostReport(CostStore store, PriceBook prices) {
    this.store = store;
    this.prices = prices;
  }

  /** The cost of {@code [from, to)}. */
  public FleetCost between(Instant from, Instant to) {
    List<MachineSession> sessions = store.sessions(from, to);
    List<UsageRow> rows = store.usage(from, to);
    return of(from, to, sessions, rows, prices);
  }

  /** The report of these sessions and rows (a pure function, for tests). */
  public static FleetCost of(
      Instant from,
      Instant to,
      List<MachineSession> sessions,
      List<UsageRow> rows,
      PriceBook prices) {
    Attribution.Result split = Attribution.split(sessions, rows, from, to);
    Map<String, Acc> pools = new TreeMap<>();
    Map<String, String> poolOf = new TreeMap<>();
    for (Attribution.MachineTime m : split.machines()) {
      Acc a = pools.computeIfAbsent(m.poolKey(), k -> new Acc(k, m.instance()));
      poolOf.put(m.instanceId(), m.poolKey());
      Quote q = prices.quote(m.instance());
      double od = onDemand(prices, m.instance(), q);
      double h = m.machineSeconds() / 3600.0;
      a.hours += h;
      a.busy += m.busySeconds() / 3600.0;
      a.idle += m.idleSeconds() / 3600.0;
      a.usd += h * q.usdPerHour();
      a.onDemand += h * od;
      a.usdPerHour = q.usdPerHour();
      a.bases.add(q.basis().name().toLowerCase(Locale.ROOT));
      if (!q.known()) {
        a.unpriced += h;
      }
      MachineSession s = m.session();
      if (s != null && Interruptions.counts(s.interruption()) && inWindow(s.endOr(to), from, to)) {
        a.interruptions++;
      }
    }
    for (UsageRow r : rows) {
      Acc a = pools.get(poolOf.get(r.instance().instanceId()));
      if (a == null) {
        continue;
      }
      if (r.wasted()) {
        a.wasted += split.share(r) / 3600.0 * prices.quote(r.instance()).usdPerHour();
      } else if (inWindow(r.at(), from, to)) {
        a.records += r.records();
      }
    }
    double windowHours = Duration.between(from, to).toMillis() / 3_600_000.0;
    List<FleetCost.Line> lines = new ArrayList<>();
    Acc total = new Acc("total", null);
    List<String> warnings = new ArrayList<>();
    for (Acc a : pools.values()) {
      lines.add(a.line(windowHours));
      total.add(a);
      if (a.unpriced > 0) {
        warnings.add(
            "pool "
                + a.pool
                + ": the price book has no price for its machines; "
                + round(a.unpriced)
                + " machine hours count as $0 (set spotbatch.cost.prices)");
      }
      if (a.bases.contains("simulated")) {
        warnings.add(
            "pool "
                + a.pool
                + ": simulated prices (the local fleet priced as "
                + prices.localPricing().instanceType()
                + " in "
                + prices.localPricing().region()
                + "); nothing is billed");
      }
    }
    return new FleetCost(
        from, to, List.copyOf(lines), total.line(windowHours), List.copyOf(warnings));
  }

  private static double onDemand(PriceBook prices, InstanceFacts i, Quote own) {
    Quote od = prices.quote(i, Lifecycle.ON_DEMAND);
    return Math.max(od.known() ? od.usdPerHour() : own.usdPerHour(), own.usdPerHour());
  }

  private static boolean inWindow(Instant t, Instant from, Instant to) {
    return !t.isBefore(from) && t.isBefore(to);
  }

  private static double round(double v) {
    return CostCalculator.round(v, 6);
  }

  /** One pool's running sums. */
  private static final class Acc {
    final String pool;
    final InstanceFacts facts;
    final TreeSet<String> bases = new TreeSet<>();
    double hours;
    double busy;
    double idle;
    double usd;
    double onDemand;
    double wasted;
    double unpriced;
    double usdPerHour;
    long interruptions;
    long records;

    Acc(String pool, InstanceFacts facts) {
      this.pool = pool;
      this.facts = facts;
    }

    void add(Acc a) {
      hours += a.hours;
      busy += a.busy;
      idle += a.idle;
      usd += a.usd;
      onDemand += a.onDemand;
      wasted += a.wasted;
      unpriced += a.unpriced;
      interruptions += a.interruptions;
      records += a.records;
      bases.addAll(a.bases);
    }

    FleetCost.Line line(double windowHours) {
      String pricing =
          unpriced > 0
              ? "unknown"
              : bases.isEmpty() ? "none" : bases.size() == 1 ? bases.first() : "mixed";
      return new FleetCost.Line(
          pool,
          facts == null ? null : facts.provider(),
          facts == null ? null : facts.instanceType(),
          facts == null ? null : facts.zone(),
          facts == null
              ? null
              : facts.lifecycle().name().toLowerCase(Locale.ROOT).replace('_', '-'),
          pricing,
          facts == null ? (hours > 0 ? round(usd / hours) : 0) : usdPerHour,
          round(usd),
          round(onDemand),
          CostCalculator.savingsPct(usd, onDemand),
          round(hours),
          round(busy),
          round(idle),
          round(wasted),
          interruptions,
          hours > 0 ? round(interruptions / hours) : 0,
          records,
          records > 0 ? round(usd / records * 1000) : null,
          windowHours > 0 ? CostCalculator.round(usd / windowHours * HOURS_PER_MONTH, 2) : 0);
    }
  }
}
