package dev.spotbatch.dispatcher.cost;

import dev.spotbatch.dispatcher.job.JobStore;
import dev.spotbatch.dispatcher.job.UsageRow;
import dev.spotbatch.event.LostLease;
import dev.spotbatch.event.WorkerDraining;
import dev.spotbatch.event.WorkerStopped;
import dev.spotbatch.model.InstanceFacts;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Records machine time from what workers and the fleet report: a worker's {@code WorkerStopped}
 * (its start to its exit, the leases whose work it lost), its {@code WorkerDraining} (what
 * interrupted it), and the fleet's sightings of running and vanished machines ({@link
 * FleetSightings}). Safe to repeat: sessions are keyed by instance id, lost work by event and item.
 */
public class MachineLedger {
  private final CostStore costs;
  private final JobStore jobs;

  public MachineLedger(CostStore costs, JobStore jobs) {
    this.costs = costs;
    this.jobs = jobs;
  }

  /** A worker drains after a notice: its machine is running and this is what interrupts it. */
  public void draining(WorkerDraining e) {
    InstanceFacts i = e.instance();
    costs.upsertSession(
        new MachineSession(
            i.instanceId(),
            e.workerId(),
            i,
            null,
            e.detectedAt() == null ? e.at() : e.detectedAt(),
            null,
            SessionEnd.RUNNING,
            kind(e.kind().name())));
  }

  /** A worker stopped: its machine time is final, and its lost leases are wasted work. */
  public void stopped(WorkerStopped e) {
    InstanceFacts i = e.instance();
    Instant start = e.startedAt() != null ? e.startedAt() : e.at();
    String interruption = e.report() == null ? null : kind(e.report().kind().name());
    costs.upsertSession(
        new MachineSession(
            i.instanceId(),
            e.workerId(),
            i,
            e.pool(),
            start,
            e.at(),
            SessionEnd.STOPPED,
            interruption));
    for (LostLease l : e.lost()) {
      String id = e.eventId() + "/" + l.itemId();
      if (jobs.usage().eventApplied(id)) {
        continue;
      }
      Instant from =
          l.startedAt() == null || l.startedAt().isAfter(e.at()) ? e.at() : l.startedAt();
      jobs.usage()
          .insertUsage(
              new UsageRow(
                  id,
                  l.jobId(),
                  l.itemId(),
                  e.workerId(),
                  i,
                  Duration.between(from, e.at()).toMillis() / 1000.0,
                  e.at(),
                  l.recordsDone(),
                  WasteKind.ABANDONED));
    }
  }

  /** The fleet sees a machine running (its start is known to the fleet, not yet to us). */
  public void running(String workerId, InstanceFacts i, String pool, Instant start) {
    costs.upsertSession(
        new MachineSession(
            i.instanceId(), workerId, i, pool, start, null, SessionEnd.RUNNING, null));
  }

  /**
   * The fleet saw a machine end without its worker's {@code WorkerStopped} (killed, crashed, or
   * killed at its deadline); the worker's own report, if it comes, wins.
   *
   * @param interruption {@code kill}, {@code spot}, ... or null when nothing was injected
   */
  public void lost(
      String workerId,
      InstanceFacts i,
      String pool,
      Instant start,
      Instant end,
      String interruption) {
    costs.upsertSession(
        new MachineSession(
            i.instanceId(),
            workerId,
            i,
            pool,
            start,
            end,
            SessionEnd.LOST,
            interruption == null ? "lost" : interruption));
  }

  /**
   * Work a vanished machine was doing: lost with it, priced as wasted work of its job.
   *
   * @param id a key unique for this machine and lease
   */
  public void lostWork(
      String id,
      String workerId,
      InstanceFacts i,
      String jobId,
      String itemId,
      Instant from,
      Instant to,
      long records) {
    if (jobs.usage().eventApplied(id)
        || to.isBefore(from)
        || costs.reported(i.instanceId(), itemId, from)) {
      return; // recorded already, or the lease ended with its own event after it was last seen
    }
    jobs.usage()
        .insertUsage(
            new UsageRow(
                id,
                jobId,
                itemId,
                workerId,
                i,
                Duration.between(from, to).toMillis() / 1000.0,
                to,
                records,
                WasteKind.KILLED));
  }

  private static String kind(String noticeKind) {
    return noticeKind.toLowerCase(Locale.ROOT);
  }
}
