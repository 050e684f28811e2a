package dev.spotbatch.dispatcher.cost;

import dev.spotbatch.dispatcher.fleet.scaling.PricePoint;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * A made-up spot price week for the local fleet, which no provider bills: the simulated machine's
 * spot price on weekdays by day, {@code offPeakDiscount} lower at night (22:00-06:00 UTC) and on
 * weekends. The published pattern is "nights and weekends 10-15% cheaper" (issue 9); the default
 * {@link #OFF_PEAK_DISCOUNT} takes the middle. Labelled {@link HistoryBasis#SIMULATED} wherever it
 * is kept, so the embedded default runs the same slack path as a cloud fleet without claiming a
 * real market.
 */
public final class SimulatedSpotHistory {
  /** How much cheaper nights and weekends are. */
  public static final double OFF_PEAK_DISCOUNT = 0.12;

  private SimulatedSpotHistory() {}

  /** One point per hour of [{@code from}, {@code to}). */
  public static List<PricePoint> week(
      String series, double weekdayUsdPerHour, double offPeakDiscount, Instant from, Instant to) {
    if (!(offPeakDiscount >= 0 && offPeakDiscount < 1)) {
      throw new IllegalArgumentException("offPeakDiscount must be within 0..1");
    }
    List<PricePoint> out = new ArrayList<>();
    for (Instant t = from.truncatedTo(ChronoUnit.HOURS);
        t.isBefore(to);
        t = t.plus(Duration.ofHours(1))) {
      double usd = weekdayUsdPerHour * (offPeak(t) ? 1 - offPeakDiscount : 1);
      out.add(new PricePoint(series, t, usd));
    }
    return out;
  }

  /** Nights 22:00-06:00 UTC and all of Saturday and Sunday. */
  static boolean offPeak(Instant at) {
    ZonedDateTime t = at.atZone(ZoneOffset.UTC);
    DayOfWeek d = t.getDayOfWeek();
    return d == DayOfWeek.SATURDAY || d == DayOfWeek.SUNDAY || t.getHour() >= 22 || t.getHour() < 6;
  }
}
