package dev.spotbatch.dispatcher.events;

import dev.spotbatch.dispatcher.job.FailureRow;
import dev.spotbatch.dispatcher.job.ItemRow;
import dev.spotbatch.dispatcher.job.JobStore;
import dev.spotbatch.dispatcher.job.ManifestWriter;
import dev.spotbatch.dispatcher.job.PartKind;
import dev.spotbatch.dispatcher.job.UsageRow;
import dev.spotbatch.event.ItemCompleted;
import dev.spotbatch.event.ItemFailed;
import dev.spotbatch.event.WorkerEvent;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies worker events to the job store, idempotently by event id and by item id: a duplicate
 * event, or a late one for an item that is already final, changes nothing. Every new event's
 * machine time is recorded for cost. After a batch, jobs whose items are all final get their
 * manifest. Events for cancelled jobs are recorded but never revive the job.
 */
public class EventApplier {
  private static final Logger log = LoggerFactory.getLogger(EventApplier.class);

  private final JobStore jobs;
  private final ManifestWriter manifests;
  private final Transactions tx;
  private final MeterRegistry meters;

  public EventApplier(JobStore jobs, ManifestWriter manifests, Transactions tx, MeterRegistry meters) {
    this.jobs = jobs;
    this.manifests = manifests;
    this.tx = tx;
    this.meters = meters;
  }

  /** Applies a batch in one transaction, then completes the jobs it touched. */
  public void applyAll(List<WorkerEvent> events) {
    tx.inTransaction(
        () -> {
          Set<String> touched = new LinkedHashSet<>();
          for (WorkerEvent e : events) {
            if (apply(e) == Outcome.APPLIED) {
              touched.add(jobId(e));
            }
          }
          for (String jobId : touched) {
            manifests.completeIfDone(jobId);
          }
          return null;
        });
  }

  /** Applies one event (without completing its job). */
  public Outcome apply(WorkerEvent event) {
    if (jobs.eventApplied(event.eventId())) {
      count(event, Outcome.DUPLICATE);
      return Outcome.DUPLICATE;
    }
    Optional<ItemRow> item = jobs.findItem(itemId(event));
    if (item.isEmpty() || !item.get().jobId().equals(jobId(event))) {
      log.warn("event {} names unknown item {} of job {}", event.eventId(), itemId(event), jobId(event));
      count(event, Outcome.IGNORED);
      return Outcome.IGNORED;
    }
    jobs.insertUsage(usage(event));
    Outcome outcome;
    if (event instanceof ItemCompleted) {
      outcome = completed((ItemCompleted) event) ? Outcome.APPLIED : Outcome.IGNORED;
    } else if (event instanceof ItemFailed) {
      outcome = failed((ItemFailed) event) ? Outcome.APPLIED : Outcome.IGNORED;
    } else {
      throw new IllegalStateException("unknown event " + event.getClass());
    }
    count(event, outcome);
    return outcome;
  }

  private boolean completed(ItemCompleted e) {
    if (!jobs.completeItem(
        e.itemId(), e.attempts() == null ? 0 : e.attempts().failures(),
        e.attempts() == null ? 0 : e.attempts().interruptions(), e.at())) {
      return false; // already final: a duplicate or a late event
    }
    jobs.insertPart(e.jobId(), e.itemId(), PartKind.DATA, e.part());
    if (e.errorPart() != null) {
      jobs.insertPart(e.jobId(), e.itemId(), PartKind.ERROR, e.errorPart());
    }
    return true;
  }

  private boolean failed(ItemFailed e) {
    jobs.insertFailure(
        new FailureRow(
            e.eventId(), e.jobId(), e.itemId(), e.reason(), e.attempts().failures(), e.terminal(),
            e.workerId(), e.at()));
    return jobs.failItem(e.itemId(), e.reason(), e.attempts().failures(), e.terminal(), e.at());
  }

  private void count(WorkerEvent e, Outcome outcome) {
    meters
        .counter(
            "spotbatch.events.applied",
            "type", e.getClass().getSimpleName(),
            "outcome", outcome.name().toLowerCase(Locale.ROOT))
        .increment();
  }

  static UsageRow usage(WorkerEvent e) {
    Instant started = startedAt(e);
    double seconds =
        started == null || started.isAfter(e.at())
            ? 0
            : Duration.between(started, e.at()).toMillis() / 1000.0;
    return new UsageRow(e.eventId(), jobId(e), itemId(e), e.workerId(), e.instance(), seconds, e.at());
  }

  static String jobId(WorkerEvent e) {
    return e instanceof ItemCompleted ? ((ItemCompleted) e).jobId() : ((ItemFailed) e).jobId();
  }

  static String itemId(WorkerEvent e) {
    return e instanceof ItemCompleted ? ((ItemCompleted) e).itemId() : ((ItemFailed) e).itemId();
  }

  static Instant startedAt(WorkerEvent e) {
    return e instanceof ItemCompleted
        ? ((ItemCompleted) e).startedAt()
        : ((ItemFailed) e).startedAt();
  }
}
