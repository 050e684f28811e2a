package dev.spotbatch.dispatcher.recovery;

import dev.spotbatch.dispatcher.job.ItemRow;
import dev.spotbatch.dispatcher.job.Job;
import dev.spotbatch.dispatcher.job.JobStore;
import dev.spotbatch.dispatcher.job.WorkItems;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.queue.QueueStats;
import dev.spotbatch.queue.WorkSubmitter;
import dev.spotbatch.task.TaskSpec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reconciler round: asks the job store and the work queue, lets {@link ResendPolicy} decide,
 * and sends the chosen items again (as stored: their whole range and their failure count), then
 * notes when. It decides nothing while worker events are still being applied (see {@link
 * ResendPolicy#eventsCurrent}). Sending comes first: a crash in between sends an item twice, never
 * loses it. Counts re-sent items in {@code spotbatch.items.resent}.
 */
public class Reconciler {
  private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

  private final RecoveryStore store;
  private final JobStore jobs;
  private final WorkSubmitter queue;
  private final ResendPolicy policy;
  private final RecoverySettings settings;
  private final Clock clock;
  private final Counter resent;
  private final Supplier<Optional<Instant>> eventsCaughtUpAt;

  public Reconciler(
      RecoveryStore store,
      JobStore jobs,
      WorkSubmitter queue,
      RecoverySettings settings,
      Supplier<Optional<Instant>> eventsCaughtUpAt,
      Clock clock,
      MeterRegistry meters) {
    this.eventsCaughtUpAt = Objects.requireNonNull(eventsCaughtUpAt, "eventsCaughtUpAt");
    this.store = Objects.requireNonNull(store, "store");
    this.jobs = Objects.requireNonNull(jobs, "jobs");
    this.queue = Objects.requireNonNull(queue, "queue");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.policy = new ResendPolicy(settings);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.resent =
        Counter.builder("spotbatch.items.resent")
            .description("items the reconciler sent again because their message was lost")
            .register(meters);
  }

  /** Runs one round; returns what it decided. Queue or database errors propagate. */
  public ResendPlan reconcile() {
    long unfinished = store.unfinishedItems();
    if (unfinished == 0) {
      return policy.plan(0, QueueStats.of(0, 0, 0), List.of());
    }
    Instant now = clock.instant();
    if (!policy.eventsCurrent(now, eventsCaughtUpAt.get())) {
      log.debug("reconciler round skipped: worker events are still being applied");
      return new ResendPlan(Verdict.EVENTS_BEHIND, 0, List.of());
    }
    QueueStats stats = queue.stats();
    List<ItemSign> silent =
        store.silentItems(policy.silentBefore(now), settings.maxResendsPerRound());
    ResendPlan plan = policy.plan(unfinished, stats, silent);
    if (plan.verdict() != Verdict.RESEND) {
      return plan;
    }
    Map<String, List<ItemSign>> byJob = new LinkedHashMap<>();
    for (ItemSign s : plan.resend()) {
      byJob.computeIfAbsent(s.jobId(), k -> new ArrayList<>()).add(s);
    }
    int sent = 0;
    for (Map.Entry<String, List<ItemSign>> e : byJob.entrySet()) {
      Optional<Job> job = jobs.findJob(e.getKey());
      if (job.isEmpty()) {
        continue;
      }
      List<WorkItem> items = new ArrayList<>();
      // a re-sent item carries the job's tasks like the first one did (else a chunk job's item
      // would come back as a plain embed)
      TaskSpec task = jobs.taskSpec(job.get().id()).orElse(null);
      for (ItemSign s : e.getValue()) {
        jobs.items()
            .findItem(s.itemId())
            .filter(row -> !row.status().isFinal())
            .map((ItemRow row) -> WorkItems.of(job.get(), task, row))
            .ifPresent(items::add);
      }
      if (items.isEmpty()) {
        continue;
      }
      queue.send(items);
      Instant at = clock.instant();
      for (WorkItem item : items) {
        store.markResent(item.itemId(), at);
      }
      resent.increment(items.size());
      sent += items.size();
      log.warn(
          "job {}: re-sent {} items silent since {} or earlier ({} unfinished, {} on the queue:"
              + " {} messages missing)",
          e.getKey(),
          items.size(),
          e.getValue().get(e.getValue().size() - 1).lastSeen(),
          unfinished,
          stats.total(),
          plan.missing());
    }
    log.debug("reconciler round: {} items re-sent", sent);
    return plan;
  }
}
