package dev.spotbatch.dispatcher.metrics;

import dev.spotbatch.event.DrainReport;
import dev.spotbatch.event.WorkerDraining;
import dev.spotbatch.event.WorkerStopped;
import dev.spotbatch.model.InstanceFacts;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.Locale;

/**
 * Interruptions and drains by pool, counted when the dispatcher applies the workers' {@link
 * WorkerDraining} and {@link WorkerStopped} events (a worker's own meters vanish with its spot
 * machine). Pool tags: {@code instance_type}, {@code zone}, {@code lifecycle}.
 *
 * <ul>
 *   <li>{@code spotbatch.fleet.interruptions{kind,...}}: notices that started a drain;
 *   <li>{@code
 *       spotbatch.fleet.drain.items{result=handed_back|finished|checkpointed|abandoned,...}}: what
 *       drains did with their items;
 *   <li>{@code spotbatch.fleet.drains{outcome=in_time|late,...}} and the timer {@code
 *       spotbatch.fleet.drain.duration}: whether the drain beat its deadline, and how long it took
 *       from the notice to the stop.
 * </ul>
 */
public final class FleetEventMetrics {
  private FleetEventMetrics() {}

  /** A worker started draining after a notice. */
  public static void draining(MeterRegistry meters, WorkerDraining e) {
    meters
        .counter(
            "spotbatch.fleet.interruptions",
            pool(e.instance()).and("kind", e.kind().name().toLowerCase(Locale.ROOT)))
        .increment();
  }

  /** A worker stopped; with a drain report, the drain's results and timing. */
  public static void stopped(MeterRegistry meters, WorkerStopped e) {
    DrainReport r = e.report();
    if (r == null) {
      return;
    }
    Tags pool = pool(e.instance());
    items(meters, pool, "handed_back", r.handedBack());
    items(meters, pool, "finished", r.finished());
    items(meters, pool, "checkpointed", r.checkpointed());
    items(meters, pool, "abandoned", r.abandoned());
    if (r.stoppedAt() != null && r.deadline() != null) {
      boolean late = r.stoppedAt().isAfter(r.deadline());
      meters
          .counter("spotbatch.fleet.drains", pool.and("outcome", late ? "late" : "in_time"))
          .increment();
    }
    if (r.stoppedAt() != null
        && r.detectedAt() != null
        && !r.stoppedAt().isBefore(r.detectedAt())) {
      meters
          .timer("spotbatch.fleet.drain.duration", pool)
          .record(Duration.between(r.detectedAt(), r.stoppedAt()));
    }
  }

  private static void items(MeterRegistry meters, Tags pool, String result, int n) {
    if (n > 0) {
      meters.counter("spotbatch.fleet.drain.items", pool.and("result", result)).increment(n);
    }
  }

  private static Tags pool(InstanceFacts i) {
    return Tags.of(
        "instance_type", orUnknown(i.instanceType()),
        "zone", orUnknown(i.zone()),
        "lifecycle", i.lifecycle().name().toLowerCase(Locale.ROOT));
  }

  private static String orUnknown(String s) {
    return s == null || s.isBlank() ? "unknown" : s;
  }
}
