package dev.spotbatch.dispatcher.job;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Computes a job's {@link JobEta}: the records it has left ({@link JobBacklog}) over its measured
 * throughput ({@link JobRates}), against its deadline.
 */
public final class JobEtas {
  private final JobBacklog backlog;
  private final JobRates rates;
  private final Clock clock;

  /**
   * @param backlog what unfinished jobs have left; null: nothing is known (no ETA, only finished
   *     jobs are judged)
   */
  public JobEtas(JobBacklog backlog, JobRates rates, Clock clock) {
    this.backlog = backlog;
    this.rates = Objects.requireNonNull(rates, "rates");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Without measurements: only finished jobs and passed deadlines are judged. */
  public static JobEtas unmeasured(Clock clock) {
    return new JobEtas(null, JobRates.NONE, clock);
  }

  public JobEta of(Job job) {
    Instant now = clock.instant();
    Instant deadline = job.deadline();
    switch (job.status()) {
      case SUCCEEDED -> {
        Instant done = job.finishedAt();
        return new JobEta(done, deadline == null || done == null ? null : !done.isAfter(deadline));
      }
      case FAILED, CANCELLED -> {
        return JobEta.UNKNOWN;
      }
      case PENDING, RUNNING -> {
        Instant eta = eta(job, now);
        Boolean onTrack = null;
        if (deadline != null) {
          if (!now.isBefore(deadline)) {
            onTrack = false;
          } else if (eta != null) {
            onTrack = !eta.isAfter(deadline);
          }
        }
        return new JobEta(eta, onTrack);
      }
    }
    return JobEta.UNKNOWN;
  }

  private Instant eta(Job job, Instant now) {
    if (backlog == null) {
      return null;
    }
    OptionalDouble rate = rates.recordsPerSecond(job.id());
    if (rate.isEmpty() || !(rate.getAsDouble() > 0)) {
      return null;
    }
    return backlog
        .of(job.id())
        .map(r -> now.plusMillis(Math.round(r.remainingRecords() / rate.getAsDouble() * 1000)))
        .orElse(null);
  }
}
