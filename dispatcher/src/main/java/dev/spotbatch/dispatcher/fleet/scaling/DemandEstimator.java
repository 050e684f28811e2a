package dev.spotbatch.dispatcher.fleet.scaling;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Turns jobs and queue into the throughput they need. A job with a deadline needs its remaining
 * records over the time left before the deadline minus the margin; an undated job needs its records
 * over the drain target. Needs add up: the queue interleaves jobs' items, so each job gets its
 * share only while all are served together (a conservative bound, never below what the earliest
 * deadlines need).
 *
 * <p>An old waiting item means a stuck queue (one more worker per tick, whatever the measured rates
 * say) only when some work is not paced by a deadline, or when the working fleet falls short of
 * what the deadlines need: a dated job sized to finish just in time leaves items waiting on
 * purpose, and is not stuck while it is on track.
 */
final class DemandEstimator {
  private final ScalingSettings settings;

  DemandEstimator(ScalingSettings settings) {
    this.settings = settings;
  }

  /**
   * @param workingNow the working workers now
   * @param workingRate their expected records/s (after rework)
   */
  Demand estimate(ScalingSnapshot snapshot, Instant now, int workingNow, double workingRate) {
    double hard = 0;
    double soft = 0;
    long items = 0;
    List<Demand.JobNeed> needs = new ArrayList<>();
    List<String> drivers = new ArrayList<>();
    long undatedRecords = 0;
    int undatedJobs = 0;
    int datedJobs = 0;
    for (JobDemand job : snapshot.jobs()) {
      if (job.done()) {
        continue;
      }
      items += job.remainingItems();
      if (job.deadline() == null) {
        double rate = perSecond(job.remainingRecords(), settings.undatedDrainTarget());
        soft += rate;
        undatedRecords += job.remainingRecords();
        undatedJobs++;
        needs.add(new Demand.JobNeed(job, rate));
        continue;
      }
      datedJobs++;
      Duration left = Duration.between(now, job.deadline()).minus(settings.deadlineMargin());
      double rate =
          left.isNegative() || left.isZero()
              ? Double.POSITIVE_INFINITY
              : perSecond(job.remainingRecords(), left);
      hard += rate;
      needs.add(new Demand.JobNeed(job, rate));
      drivers.add(
          Double.isInfinite(rate)
              ? "job "
                  + job.jobId()
                  + " is due "
                  + job.deadline()
                  + " (inside the margin): as fast as possible"
              : String.format(
                  "job %s needs %s rec/s for %d records by %s",
                  job.jobId(),
                  Reasons.rate(rate * settings.throughputHeadroom()),
                  job.remainingRecords(),
                  job.deadline()));
    }
    if (undatedJobs > 0) {
      drivers.add(
          String.format(
              "%d undated job(s) need %s rec/s to drain %d records within %s",
              undatedJobs,
              Reasons.rate(soft),
              undatedRecords,
              Reasons.duration(settings.undatedDrainTarget())));
    }
    needs.sort(SERVICE_ORDER);

    QueueSnapshot queue = snapshot.queue();
    int floor = settings.minWorkers();
    boolean unaccounted = items == 0 && queue.visible() > 0;
    if (unaccounted) {
      // items on the queue that no job accounts for (a restart, a job store lag): keep one worker
      items = queue.visible() + (queue.inFlight() == null ? 0 : queue.inFlight());
      floor = Math.max(floor, 1);
      drivers.add(queue.visible() + " queued item(s) no job accounts for");
    }
    Duration oldest = queue.oldestPendingAge();
    boolean deadlinesOnTrack = hard * settings.throughputHeadroom() <= workingRate;
    boolean pacedOnly = undatedJobs == 0 && datedJobs > 0 && !unaccounted && deadlinesOnTrack;
    if (queue.visible() > 0
        && oldest != null
        && oldest.compareTo(settings.maxPendingAge()) > 0
        && !pacedOnly) {
      floor = Math.max(floor, workingNow + 1);
      drivers.add(
          "the oldest queued item waited "
              + Reasons.duration(oldest)
              + " (limit "
              + Reasons.duration(settings.maxPendingAge())
              + ")");
    }
    if (settings.minWorkers() > 0) {
      drivers.add("minimum " + settings.minWorkers() + " worker(s)");
    }
    return new Demand(
        hard * settings.throughputHeadroom(),
        soft * settings.throughputHeadroom(),
        floor,
        items,
        needs,
        drivers);
  }

  private static double perSecond(long records, Duration time) {
    return records / (time.toMillis() / 1000.0);
  }

  /** Deadlines first, by priority (high first), then by deadline; undated jobs last. */
  static final Comparator<Demand.JobNeed> SERVICE_ORDER =
      Comparator.comparing((Demand.JobNeed n) -> n.job().deadline() == null)
          .thenComparing(n -> -n.job().priority())
          .thenComparing(n -> n.job().deadline(), Comparator.nullsLast(Comparator.naturalOrder()))
          .thenComparing(n -> n.job().jobId());
}
