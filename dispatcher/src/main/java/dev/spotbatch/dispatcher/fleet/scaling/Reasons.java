package dev.spotbatch.dispatcher.fleet.scaling;

import java.time.Duration;
import java.util.Locale;

/** Number formats for reasons a person reads. */
final class Reasons {
  private Reasons() {}

  static String rate(double recordsPerSecond) {
    if (Double.isInfinite(recordsPerSecond)) {
      return "unbounded";
    }
    return recordsPerSecond >= 100
        ? String.format(Locale.ROOT, "%.0f", recordsPerSecond)
        : String.format(Locale.ROOT, "%.1f", recordsPerSecond);
  }

  static String usd(double usd) {
    return String.format(Locale.ROOT, "$%.4f", usd);
  }

  static String perHour(double perHour) {
    return String.format(Locale.ROOT, "%.3f/h", perHour);
  }

  static String duration(Duration d) {
    long s = d.toSeconds();
    if (s % 3600 == 0 && s >= 3600) {
      return (s / 3600) + "h";
    }
    if (s % 60 == 0 && s >= 60) {
      return (s / 60) + "m";
    }
    if (s >= 60) {
      return (s / 60) + "m" + (s % 60) + "s";
    }
    return s + "s";
  }
}
