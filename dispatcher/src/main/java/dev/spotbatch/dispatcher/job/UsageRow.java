package dev.spotbatch.dispatcher.job;

import dev.spotbatch.dispatcher.cost.WasteKind;
import dev.spotbatch.model.InstanceFacts;
import java.time.Instant;

/**
 * Work one event reports for a job, on the machine it ran on: the interval {@code [at -
 * machineSeconds, at]} of that machine's time. How much of the machine it had (when items ran side
 * by side) is decided by {@link dev.spotbatch.dispatcher.cost.Attribution}.
 *
 * @param records the records the work processed (0 when unknown)
 * @param waste why the work has to be done again; null when it counts (committed output)
 */
public record UsageRow(
    String eventId,
    String jobId,
    String itemId,
    String workerId,
    InstanceFacts instance,
    double machineSeconds,
    Instant at,
    long records,
    WasteKind waste) {

  /** When the work started. */
  public Instant startedAt() {
    return at.minusMillis(Math.round(machineSeconds * 1000));
  }

  public boolean wasted() {
    return waste != null;
  }
}
