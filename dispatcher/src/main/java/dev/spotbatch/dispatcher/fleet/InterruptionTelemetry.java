package dev.spotbatch.dispatcher.fleet;

import dev.spotbatch.dispatcher.cost.CostReport;
import dev.spotbatch.dispatcher.cost.FleetCost;
import dev.spotbatch.dispatcher.cost.PriceBook;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Interruption rates per pool measured on our own fleet: interruptions (spot notices that drained a
 * worker, machines that vanished without a notice) per machine hour, over a trailing window. The
 * autoscaler reads {@link #interruptionsPerHour(Pool)} for its pool choice; a pool with too few
 * machine hours to measure ({@link Rate#measured()} false) should fall back to a prior. Figures are
 * recomputed at most once per {@code refreshEvery}. Thread-safe.
 */
public final class InterruptionTelemetry {
  /**
   * One pool's measured rate.
   *
   * @param measured true once the pool has at least the minimum machine hours
   */
  public record Rate(long interruptions, double machineHours, double perHour, boolean measured) {
    public static final Rate NONE = new Rate(0, 0, 0, false);
  }

  private final CostReport report;
  private final Clock clock;
  private final Duration window;
  private final Duration refreshEvery;
  private final double minHours;
  private volatile Snapshot snapshot;

  private record Snapshot(Instant at, FleetCost cost) {}

  /**
   * @param window how far back rates are measured (e.g. 7 days)
   * @param refreshEvery how long one reading of the window is reused; zero: read on every call
   * @param minHours machine hours below which a rate is not {@link Rate#measured()}
   */
  public InterruptionTelemetry(
      CostReport report, Clock clock, Duration window, Duration refreshEvery, double minHours) {
    this.report = Objects.requireNonNull(report, "report");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.window = Objects.requireNonNull(window, "window");
    this.refreshEvery = Objects.requireNonNull(refreshEvery, "refreshEvery");
    if (refreshEvery.isNegative()) {
      throw new IllegalArgumentException("refreshEvery must be 0 or more, was " + refreshEvery);
    }
    this.minHours = minHours;
  }

  /** Interruptions per machine hour in {@code pool} over the window; 0 when nothing is known. */
  public double interruptionsPerHour(Pool pool) {
    return rate(pool).perHour();
  }

  /** The pool's measured rate with its evidence. */
  public Rate rate(Pool pool) {
    long interruptions = 0;
    double hours = 0;
    for (FleetCost.Line l : current().pools()) {
      if (matches(l, pool)) {
        interruptions += l.interruptions();
        hours += l.machineHours();
      }
    }
    if (hours <= 0) {
      return Rate.NONE;
    }
    return new Rate(interruptions, hours, interruptions / hours, hours >= minHours);
  }

  /** Every pool's line of the window (as {@code GET /api/v1/cost} shows it). */
  public List<FleetCost.Line> pools() {
    return current().pools();
  }

  private FleetCost current() {
    Instant now = clock.instant();
    Snapshot s = snapshot;
    if (s == null || !now.isBefore(s.at().plus(refreshEvery))) {
      s = new Snapshot(now, report.between(now.minus(window), now));
      snapshot = s;
    }
    return s.cost();
  }

  private static boolean matches(FleetCost.Line l, Pool p) {
    if (p.name().equals(l.pool())) {
      return true;
    }
    // a local worker's own events say aws (its metadata endpoint answers like AWS) while the fleet
    // says local: the same machines, told apart by their local-* zone
    boolean sameProvider =
        p.provider().equalsIgnoreCase(String.valueOf(l.provider()))
            || (PriceBook.isLocal(p.provider(), p.zone())
                && PriceBook.isLocal(String.valueOf(l.provider()), l.zone()));
    return sameProvider
        && Objects.equals(p.instanceType(), l.instanceType())
        && Objects.equals(p.zone(), l.zone())
        && p.lifecycle().name().toLowerCase(Locale.ROOT).replace('_', '-').equals(l.lifecycle());
  }
}
