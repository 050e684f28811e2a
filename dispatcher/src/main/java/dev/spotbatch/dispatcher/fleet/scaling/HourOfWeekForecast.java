package dev.spotbatch.dispatcher.fleet.scaling;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * A forecast by hour of week (UTC): the expected price of a pool at an hour is the mean of the
 * prices seen at that hour of the week in its history. Spot prices follow the week (nights and
 * weekends are cheaper), so a few weeks of history predict the pattern, not the noise.
 */
public final class HourOfWeekForecast implements PriceForecast {
  private final Map<String, double[]> sums = new HashMap<>();
  private final Map<String, int[]> counts = new HashMap<>();

  public HourOfWeekForecast(List<PricePoint> history) {
    for (PricePoint p : history) {
      int h = hourOfWeek(p.at());
      sums.computeIfAbsent(p.pool(), k -> new double[168])[h] += p.usdPerHour();
      counts.computeIfAbsent(p.pool(), k -> new int[168])[h]++;
    }
  }

  @Override
  public OptionalDouble usdPerHour(String pool, Instant at) {
    int[] c = counts.get(pool);
    int h = hourOfWeek(at);
    if (c == null || c[h] == 0) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(sums.get(pool)[h] / c[h]);
  }

  /** 0 = Monday 00:00-01:00 UTC ... 167 = Sunday 23:00-24:00. */
  static int hourOfWeek(Instant at) {
    ZonedDateTime t = at.atZone(ZoneOffset.UTC);
    return (t.getDayOfWeek().getValue() - DayOfWeek.MONDAY.getValue()) * 24 + t.getHour();
  }
}
