package dev.spotbatch.dispatcher.cost;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Spot price alerts: each {@link #check()} compares the watched machines' spot prices (a fleet's
 * spot pools, and the machines a rule names) with the {@link PriceAlertRule rules}, and remembers
 * since when each alert fires. Thread-safe; the caller runs {@link #check()} on its schedule (and
 * may on demand).
 */
public final class PriceAlerts {
  /**
   * One check's result.
   *
   * @param alerts one per watched machine that a rule applies to, firing first
   * @param started the alerts that began firing at this check (for counters)
   */
  public record Report(
      Instant at, List<String> rules, List<PriceAlert> alerts, List<PriceAlert> started) {
    /** How many fire. */
    public long firing() {
      return alerts.stream().filter(PriceAlert::firing).count();
    }
  }

  private final List<PriceAlertRule> rules;
  private final Supplier<List<WatchedMachine>> machines;
  private final Clock clock;
  private final Consumer<Report> onCheck;
  private final Map<String, Instant> since = new HashMap<>();
  private Report last;

  /**
   * @param onCheck told of every check (metrics), on the checking thread
   */
  public PriceAlerts(
      List<PriceAlertRule> rules,
      Supplier<List<WatchedMachine>> machines,
      Clock clock,
      Consumer<Report> onCheck) {
    this.rules = List.copyOf(rules);
    this.onCheck = Objects.requireNonNull(onCheck, "onCheck");
    this.machines = Objects.requireNonNull(machines, "machines");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public List<PriceAlertRule> rules() {
    return rules;
  }

  /** Compares the current prices with the rules. */
  public synchronized Report check() {
    Instant now = clock.instant();
    List<PriceAlert> firing = new ArrayList<>();
    List<PriceAlert> quiet = new ArrayList<>();
    List<PriceAlert> started = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (WatchedMachine m : machines.get()) {
      if (!m.spot().known() || !seen.add(m.name())) {
        continue;
      }
      List<PriceAlertRule> applying =
          rules.stream()
              .filter(r -> r.matches(m.provider(), m.region(), m.instanceType()))
              .toList();
      if (applying.isEmpty()) {
        continue;
      }
      double usd = m.spot().usdPerHour();
      Double onDemand =
          m.onDemand() != null && m.onDemand().known() && m.onDemand().usdPerHour() > 0
              ? m.onDemand().usdPerHour()
              : null;
      Double pct = onDemand == null ? null : 100 * usd / onDemand;
      List<PriceAlertRule> passed = applying.stream().filter(r -> passes(r, usd, pct)).toList();
      boolean fires = !passed.isEmpty();
      Instant from = null;
      if (fires) {
        from = since.get(m.name());
        if (from == null) {
          from = now;
          since.put(m.name(), now);
        }
      } else {
        since.remove(m.name());
      }
      PriceAlert a =
          new PriceAlert(
              m.name(),
              m.provider(),
              m.region(),
              m.instanceType(),
              usd,
              onDemand,
              pct,
              m.spot().basis().name().toLowerCase(Locale.ROOT),
              fires,
              from,
              (fires ? passed : applying).stream().map(PriceAlertRule::describe).toList(),
              fires ? message(m, usd, pct, passed, from) : null);
      (fires ? firing : quiet).add(a);
      if (fires && from.equals(now)) {
        started.add(a);
      }
    }
    since.keySet().retainAll(seen);
    List<PriceAlert> all = new ArrayList<>(firing);
    all.addAll(quiet);
    last =
        new Report(
            now, rules.stream().map(PriceAlertRule::describe).toList(), all, List.copyOf(started));
    onCheck.accept(last);
    return last;
  }

  /** The last check; null before the first. */
  public synchronized Report last() {
    return last;
  }

  private static boolean passes(PriceAlertRule r, double usd, Double pct) {
    return (r.maxUsdPerHour() != null && usd > r.maxUsdPerHour())
        || (r.maxPctOfOnDemand() != null && pct != null && pct > r.maxPctOfOnDemand());
  }

  private static String message(
      WatchedMachine m, double usd, Double pct, List<PriceAlertRule> passed, Instant from) {
    return String.format(
        Locale.ROOT,
        "spot price alert: %s (%s %s %s) costs $%.4f/h%s since %s, past the threshold %s",
        m.name(),
        m.provider(),
        m.region(),
        m.instanceType(),
        usd,
        pct == null ? "" : String.format(Locale.ROOT, " (%.0f%% of on-demand)", pct),
        from,
        String.join("; ", passed.stream().map(PriceAlertRule::describe).toList()));
  }
}
