package dev.spotbatch.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * The progress of one job from successive views of it: the fraction of items final, the records per
 * second and the time left, both measured over a sliding window of recent views (so a pause or a
 * burst fades out), and the line that shows them. Pure: the caller passes the time.
 */
final class ProgressMeter {
  static final Duration DEFAULT_WINDOW = Duration.ofSeconds(30);
  static final int BAR_WIDTH = 30;

  private final Duration window;
  private final Deque<Sample> samples = new ArrayDeque<>();

  ProgressMeter(Duration window) {
    this.window = window;
  }

  /** One view of the job at a time. */
  record Sample(Instant at, long itemsFinal, long records) {}

  /**
   * What one line shows.
   *
   * @param recordsPerSecond null until two views over time exist
   * @param eta null while unknown (no rate yet, or nothing moving)
   */
  record Reading(
      String status,
      long itemsTotal,
      long itemsFinal,
      long records,
      Double recordsPerSecond,
      Duration eta) {

    double fraction() {
      return itemsTotal == 0 ? (Format.isFinal(status) ? 1 : 0) : (double) itemsFinal / itemsTotal;
    }

    /** {@code [#########.....] 40% 4/10 items 1,200 records 310 rec/s ETA 0:12 RUNNING} */
    String line() {
      double f = fraction();
      int filled = (int) Math.floor(f * BAR_WIDTH);
      String bar = "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled);
      String rate =
          recordsPerSecond == null
              ? "-- rec/s"
              : String.format(Locale.ROOT, "%s rec/s", Format.count(Math.round(recordsPerSecond)));
      String left =
          Format.isFinal(status) ? "" : "  ETA " + (eta == null ? "--" : Format.duration(eta));
      return String.format(
          Locale.ROOT,
          "[%s] %3d%%  %s/%s items  %s records  %s%s  %s",
          bar,
          (int) Math.floor(f * 100),
          Format.count(itemsFinal),
          Format.count(itemsTotal),
          Format.count(records),
          rate,
          left,
          status);
    }

    /** What a plain (non-terminal) log repeats only when it changes: everything but the rates. */
    String progressKey() {
      return status + "/" + itemsTotal + "/" + itemsFinal + "/" + records;
    }
  }

  /** Takes one view of the job ({@code GET /api/v1/jobs/{id}}) at {@code now}. */
  Reading observe(JsonNode job, Instant now) {
    String status = Format.text(job, "status");
    long total = Format.number(job, "items.total");
    long done = Format.number(job, "items.succeeded") + Format.number(job, "items.failed");
    long records = Format.number(job, "records.succeeded") + Format.number(job, "records.failed");
    samples.addLast(new Sample(now, done, records));
    while (samples.size() > 2 && samples.peekFirst().at().isBefore(now.minus(window))) {
      samples.removeFirst();
    }
    Sample first = samples.peekFirst();
    double seconds = Duration.between(first.at(), now).toMillis() / 1000.0;
    Double rate = null;
    Duration eta = null;
    if (seconds > 0) {
      rate = (records - first.records()) / seconds;
      double itemsPerSecond = (done - first.itemsFinal()) / seconds;
      if (itemsPerSecond > 0 && total > done) {
        eta = Duration.ofMillis(Math.round((total - done) / itemsPerSecond * 1000));
      }
    }
    String serverEta = Format.text(job, "eta");
    if (serverEta != null) {
      try {
        eta = Duration.between(now, Instant.parse(serverEta));
      } catch (RuntimeException e) {
        // not an instant: keep the measured one
      }
    }
    return new Reading(status, total, done, records, rate, eta);
  }
}
