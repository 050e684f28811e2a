package dev.spotbatch.dispatcher.fleet.scaling;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.IntStream;

/**
 * Uses the room a deadline leaves: a job needs {@code k} hours at the fleet's maximum (times a work
 * factor, plus the launch); of the whole hours before its deadline it takes the {@code k} cheapest
 * by the price forecast (the cheapest spot pool's expected price per hour). When the current hour
 * is among them the job runs as if its deadline were {@code k} hours away (at full speed, not paced
 * over the whole window); otherwise it waits: the autoscaler gets no demand for it and its queued
 * items are not counted as stuck. It waits only when the chosen hours are at least {@code
 * minSaving} cheaper than running now. Capacity is held back, never taken away: workers busy with
 * its items go on (scale-in removes idle workers only), so a started job does not pause.
 */
final class SlackPolicy {
  private static final Duration HOUR = Duration.ofHours(1);

  private final SlackSettings slack;
  private final ScalingSettings settings;
  private final PriceForecast forecast;

  SlackPolicy(SlackSettings slack, ScalingSettings settings, PriceForecast forecast) {
    this.slack = slack;
    this.settings = settings;
    this.forecast = forecast;
  }

  /**
   * What the policy made of this tick's jobs.
   *
   * @param verdicts per dated job it looked at: whether it waits (until when, for which pool) or
   *     runs, and why
   */
  record Outcome(
      List<JobDemand> jobs,
      List<JobDemand> waiting,
      QueueSnapshot queue,
      List<String> drivers,
      Map<String, Verdict> verdicts) {
    static Outcome unchanged(ScalingSnapshot s) {
      return new Outcome(s.jobs(), List.of(), s.queue(), List.of(), Map.of());
    }
  }

  /**
   * One job's verdict.
   *
   * @param until when a waiting job's first chosen hour starts; null when it runs
   * @param pool the spot pool whose forecast the choice rests on (the cheapest then)
   */
  record Verdict(Choice choice, Instant until, String pool, String reason) {}

  Outcome apply(ScalingSnapshot snapshot, Instant now) {
    if (slack.mode() == SlackMode.OFF) {
      return Outcome.unchanged(snapshot);
    }
    List<JobDemand> jobs = new ArrayList<>();
    List<JobDemand> waiting = new ArrayList<>();
    List<String> drivers = new ArrayList<>();
    Map<String, Verdict> verdicts = new HashMap<>();
    double rate = recordsPerSecondPerWorker(snapshot);
    for (JobDemand job : snapshot.jobs()) {
      Plan plan = plan(job, snapshot.pools(), rate, now);
      if (job.deadline() != null) {
        verdicts.put(
            job.jobId(), new Verdict(plan.choice(), plan.until(), plan.pool(), plan.reason()));
      }
      switch (plan.choice()) {
        case AS_IS -> jobs.add(job);
        case RUN_NOW -> {
          jobs.add(
              new JobDemand(
                  job.jobId(),
                  job.remainingRecords(),
                  job.remainingItems(),
                  now.plus(HOUR.multipliedBy(plan.hours())).plus(settings.deadlineMargin()),
                  job.priority()));
          drivers.add(plan.reason());
        }
        case WAIT -> {
          waiting.add(job);
          drivers.add(plan.reason());
        }
      }
    }
    QueueSnapshot queue = snapshot.queue();
    if (!waiting.isEmpty()) {
      // the waiting jobs' items are on the queue on purpose: not a stuck queue, not orphans
      long held = waiting.stream().mapToLong(JobDemand::remainingItems).sum();
      long visible = Math.max(0, queue.visible() - held);
      queue =
          new QueueSnapshot(
              visible, queue.inFlight(), visible == 0 ? null : queue.oldestPendingAge());
    }
    return new Outcome(jobs, waiting, queue, drivers, verdicts);
  }

  /** What the policy does with a job. */
  enum Choice {
    /** Nothing: no deadline, no room to choose hours, or not worth it. */
    AS_IS,
    /** The current hour is among its cheapest: it runs at full speed. */
    RUN_NOW,
    /** It waits for cheaper hours ahead. */
    WAIT
  }

  private record Plan(Choice choice, int hours, Instant until, String pool, String reason) {
    static final Plan AS_IS = new Plan(Choice.AS_IS, 0, null, null, "");
  }

  private Plan plan(JobDemand job, List<PoolSnapshot> pools, double rate, Instant now) {
    if (job.deadline() == null || job.done()) {
      return Plan.AS_IS;
    }
    Duration left = Duration.between(now, job.deadline().minus(settings.deadlineMargin()));
    // hours of the clock, not hours from now: a job waits until 22:00, not until 22:00 plus the
    // tick's offset; slot 0 is the current hour, and the last ends before the deadline's margin
    Instant hour0 = now.truncatedTo(ChronoUnit.HOURS);
    int slots =
        (int)
            Math.min(
                Duration.between(hour0, job.deadline().minus(settings.deadlineMargin())).toHours(),
                slack.horizon().toHours());
    double seconds =
        job.remainingRecords() / (rate * settings.maxWorkers()) * slack.workFactor()
            + slack.launchAllowance().toSeconds();
    int need = (int) Math.ceil(seconds / 3600);
    if (need < 1 || need >= slots || need >= left.toHours()) {
      return asIs(
          "job %s has no hours to spare before its deadline (needs %d h, %d h left): it runs"
              + " to meet it",
          job.jobId(), need, left.toHours());
    }
    double[] price = new double[slots];
    for (int i = 0; i < slots; i++) {
      price[i] = cheapest(pools, hour0.plus(HOUR.multipliedBy(i)));
    }
    List<Integer> chosen =
        IntStream.range(0, slots)
            .boxed()
            .sorted(Comparator.comparingDouble((Integer i) -> price[i]).thenComparing(i -> i))
            .limit(need)
            .sorted()
            .toList();
    double best = chosen.stream().mapToDouble(i -> price[i]).average().orElse(0);
    if (chosen.get(0) == 0) {
      // running now at full speed beats being paced over every hour left (the autoscaler's way
      // without the policy) only when the hours after this one are dearer
      double paced = IntStream.range(0, slots).mapToDouble(i -> price[i]).average().orElse(0);
      if (!(best < paced * (1 - slack.minSaving()))) {
        return asIs("job %s runs now: no cheaper hours ahead before its deadline", job.jobId());
      }
      return new Plan(
          Choice.RUN_NOW,
          need,
          null,
          cheapestPool(pools, now),
          String.format(
              Locale.ROOT,
              "job %s runs now at full speed, in its %d cheapest hour(s) before %s ($%.2f/h"
                  + " expected vs $%.2f/h paced over all)",
              job.jobId(),
              need,
              job.deadline(),
              best,
              paced));
    }
    // waiting must beat starting now: a queue that waits is served at once when capacity comes
    double now0 = IntStream.range(0, need).mapToDouble(i -> price[i]).average().orElse(0);
    if (!(best < now0 * (1 - slack.minSaving()))) {
      return asIs(
          "job %s runs now: waiting would save less than %.0f%%",
          job.jobId(), slack.minSaving() * 100);
    }
    Instant until = hour0.plus(HOUR.multipliedBy(chosen.get(0)));
    return new Plan(
        Choice.WAIT,
        need,
        until,
        cheapestPool(pools, until),
        String.format(
            Locale.ROOT,
            "job %s waits until %s to run in its %d cheapest hour(s) before %s ($%.2f/h expected"
                + " vs $%.2f/h if it ran now)",
            job.jobId(),
            until,
            need,
            job.deadline(),
            best,
            now0));
  }

  private static Plan asIs(String format, Object... args) {
    return new Plan(Choice.AS_IS, 0, null, null, String.format(Locale.ROOT, format, args));
  }

  /** The cheapest spot pool's expected price at {@code at} (any pool when none is spot). */
  private double cheapest(List<PoolSnapshot> pools, Instant at) {
    double best = Double.POSITIVE_INFINITY;
    for (PoolSnapshot p : candidates(pools)) {
      best = Math.min(best, expected(p, at));
    }
    return best;
  }

  /** The name of the pool {@link #cheapest} found; null without pools. */
  private String cheapestPool(List<PoolSnapshot> pools, Instant at) {
    return candidates(pools).stream()
        .min(Comparator.comparingDouble((PoolSnapshot p) -> expected(p, at)))
        .map(PoolSnapshot::name)
        .orElse(null);
  }

  private static List<PoolSnapshot> candidates(List<PoolSnapshot> pools) {
    boolean anySpot = pools.stream().anyMatch(p -> p.spec().spot());
    return pools.stream().filter(p -> !anySpot || p.spec().spot()).toList();
  }

  private double expected(PoolSnapshot p, Instant at) {
    OptionalDouble f = forecast.usdPerHour(p.name(), at);
    return f.orElse(p.spec().usdPerHour());
  }

  private double recordsPerSecondPerWorker(ScalingSnapshot snapshot) {
    return snapshot.workers().stream()
        .filter(w -> w.recordsPerSecond() != null && w.recordsPerSecond() > 0)
        .mapToDouble(WorkerSnapshot::recordsPerSecond)
        .average()
        .orElse(settings.assumedRecordsPerSecondPerWorker());
  }
}
