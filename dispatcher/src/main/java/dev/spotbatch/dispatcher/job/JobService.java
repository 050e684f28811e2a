package dev.spotbatch.dispatcher.job;

import dev.spotbatch.codec.Json;
import dev.spotbatch.dispatcher.cost.CostCalculator;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.queue.WorkSubmitter;
import dev.spotbatch.store.CancelMarker;
import dev.spotbatch.store.ObjectStore;
import dev.spotbatch.store.StorageRoots;
import dev.spotbatch.store.StoreUri;
import dev.spotbatch.task.TaskSpec;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/** The job use cases behind the REST API: submit, read, list, cancel, failures and retry. */
public class JobService {
  /** The model column of a job whose tasks need no model (e.g. chunk alone). */
  public static final String NO_MODEL = "none";

  private static final Logger log = LoggerFactory.getLogger(JobService.class);

  private final JobStore jobs;
  private final JobPlanner planner;
  private final ManifestWriter manifests;
  private final ObjectStore store;
  private final WorkSubmitter queue;
  private final JobLimits limits;
  private final CostCalculator costs;
  private final Clock clock;
  private final Supplier<String> ids;
  private final MeterRegistry meters;
  private final JobEtas etas;
  private final JsonMapper json = Json.mapper();
  private final SubmissionValidator validator;

  /**
   * @param models where jobs may bring models from, and how large they may be
   * @param etas each job's ETA and whether it meets its deadline
   */
  public JobService(
      JobStore jobs,
      JobPlanner planner,
      ManifestWriter manifests,
      ObjectStore store,
      WorkSubmitter queue,
      StorageRoots storage,
      JobLimits limits,
      CostCalculator costs,
      Clock clock,
      Supplier<String> ids,
      MeterRegistry meters,
      ModelLocationPolicy models,
      JobEtas etas) {
    this.validator = new SubmissionValidator(store, storage, limits, models, clock);
    this.etas = etas;
    this.jobs = jobs;
    this.planner = planner;
    this.manifests = manifests;
    this.store = store;
    this.queue = queue;
    this.limits = limits;
    this.costs = costs;
    this.clock = clock;
    this.ids = ids;
    this.meters = meters;
  }

  /** Validates, stores (staging inline records) and starts planning a job; returns it PENDING. */
  public Job submit(JobSubmission s) {
    SubmissionValidator.Valid v = validator.validate(s);
    if (planner.busy()) {
      // refuse before storing anything: a job accepted now would end FAILED at once
      meters.counter("spotbatch.jobs.refused", "reason", "planner-busy").increment();
      throw new PlannerBusyException(
          "the dispatcher is planning as many jobs as it can queue; submit again in a few"
              + " seconds (Retry-After), or raise spotbatch.planner.backlog or"
              + " spotbatch.planner.threads");
    }
    String id = ids.get();
    String input = v.input() == null ? null : v.input().toString();
    if (s.records() != null) {
      StoreUri staged =
          StoreUri.parse(limits.stagingUri()).asPrefix().resolve(id + "/records.jsonl");
      store.put(staged, jsonl(s.records()));
      input = staged.toString();
    }
    Job job =
        new Job(
            id,
            s.name(),
            JobStatus.PENDING,
            v.task().model() == null ? NO_MODEL : v.task().model().name(),
            input,
            "jsonl",
            blankToNull(s.textField()),
            blankToNull(s.idField()),
            v.output().asPrefix().toString(),
            v.itemBytes(),
            v.maxAttempts(),
            null,
            null,
            clock.instant(),
            null,
            null,
            v.deadline(),
            v.priority(),
            v.outputFormat());
    if (v.task().equals(TaskSpec.embed(job.model()))) {
      jobs.insertJob(job); // the original shape: nothing more to store
    } else {
      jobs.insertJob(job, v.task());
    }
    meters.counter("spotbatch.jobs.submitted").increment();
    log.info(
        "job {} submitted: {} -> {} ({})", id, input, job.outputUri(), job.outputFormat().id());
    planner.start(job);
    return job;
  }

  public JobDetails get(String id) {
    Job job = jobs.findJob(id).orElseThrow(() -> new JobNotFoundException(id));
    return details(job);
  }

  public JobDetails details(Job job) {
    JobProgress progress = jobs.items().progress(job.id()); // bounded reads: the view is polled
    return new JobDetails(
        job,
        progress.items(),
        progress.records(),
        costs.jobCost(job.id(), jobs),
        jobs.taskSpec(job.id()).orElse(null),
        etas.of(job));
  }

  public List<Job> list(JobStatus status, int limit) {
    return jobs.listJobs(status, limit);
  }

  public List<FailureRow> failures(String id) {
    jobs.findJob(id).orElseThrow(() -> new JobNotFoundException(id));
    return jobs.items().failures(id);
  }

  /**
   * Cancels a PENDING or RUNNING job: writes its cancel marker ({@link CancelMarker}) beside its
   * output, where every worker looks before it starts one of the job's items and between chunks,
   * then marks the job and its unfinished items CANCELLED. Workers acknowledge the job's queued
   * items without work and stop its running ones at their next chunk, writing nothing more. The
   * marker goes first: if the store cannot take it the job is left as it was and the call fails
   * (storage is retried by its adapter); a marker left by a cancel that lost the race against the
   * job's end is removed.
   */
  public Job cancel(String id) {
    Job job = jobs.findJob(id).orElseThrow(() -> new JobNotFoundException(id));
    if (job.status().isFinal()) {
      throw notCancellable(job);
    }
    StoreUri marker = CancelMarker.of(job.outputUri());
    store.put(marker, cancelMarker(job));
    Instant now = clock.instant();
    if (!jobs.finish(id, JobStatus.CANCELLED, "cancelled by request", null, now)) {
      Job ended = jobs.findJob(id).orElse(job);
      if (ended.status() != JobStatus.CANCELLED) {
        store.delete(marker); // the job ended first: its output stays as it is
      }
      throw notCancellable(ended);
    }
    // after the job: a crash in between leaves items pending in a final job, which nothing reads
    int items = jobs.itemStates().cancelUnfinished(id, now);
    log.info("job {} cancelled: {} unfinished items cancelled", id, items);
    meters.counter("spotbatch.jobs.cancelled").increment();
    return jobs.findJob(id).orElseThrow();
  }

  private byte[] cancelMarker(Job job) {
    return json.writeValueAsBytes(
        Map.of("jobId", job.id(), "cancelledAt", clock.instant().toString()));
  }

  private static JobStateException notCancellable(Job job) {
    return new JobStateException(
        "job "
            + job.id()
            + " is already "
            + job.status()
            + " and cannot be cancelled; only PENDING"
            + " or RUNNING jobs can");
  }

  /** Re-enqueues the failed items of a FAILED job with a fresh failure budget. */
  public Job retry(String id) {
    Job job = jobs.findJob(id).orElseThrow(() -> new JobNotFoundException(id));
    if (job.status() != JobStatus.FAILED) {
      throw new JobStateException(
          "job " + id + " is " + job.status() + "; only FAILED jobs can be retried");
    }
    List<ItemRow> failed = jobs.items().resetFailedItems(id, clock.instant());
    if (failed.isEmpty() || job.startedAt() == null) {
      // failed while planning: plan again from the start
      if (!jobs.reopenForPlanning(id)) {
        throw new JobStateException("job " + id + " changed while being retried; try again");
      }
      Job pending = jobs.findJob(id).orElseThrow();
      planner.start(pending);
      return pending;
    }
    if (!jobs.reopen(id)) {
      throw new JobStateException("job " + id + " changed while being retried; try again");
    }
    StoreUri output = StoreUri.parse(job.outputUri());
    store.delete(output.resolve(ManifestWriter.FAILED));
    List<WorkItem> items = new ArrayList<>();
    TaskSpec task = jobs.taskSpec(id).orElse(null);
    for (ItemRow row : failed) {
      items.add(WorkItems.of(job, task, row));
    }
    queue.send(items);
    meters.counter("spotbatch.items.enqueued").increment(items.size());
    log.info("job {} retried: {} items re-enqueued", id, items.size());
    return jobs.findJob(id).orElseThrow();
  }

  /** Restarts planning for jobs left PENDING by a previous run. */
  public void resumePending() {
    for (Job job : jobs.jobsIn(JobStatus.PENDING)) {
      log.info("resuming planning of job {}", job.id());
      planner.start(job);
    }
    for (Job job : jobs.jobsIn(JobStatus.RUNNING)) {
      manifests.completeIfDone(job.id());
    }
  }

  private byte[] jsonl(List<Map<String, Object>> records) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Map<String, Object> r : records) {
      out.writeBytes(json.writeValueAsBytes(r));
      out.write('\n');
    }
    return out.toByteArray();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
