package dev.spotbatch.dispatcher.job;

import dev.spotbatch.codec.Json;
import dev.spotbatch.dispatcher.cost.CostCalculator;
import dev.spotbatch.dispatcher.cost.JobCost;
import dev.spotbatch.event.FailureCause;
import dev.spotbatch.model.OutputFormat;
import dev.spotbatch.store.ObjectStore;
import dev.spotbatch.store.StoreUri;
import dev.spotbatch.task.TaskSpec;
import dev.spotbatch.task.TaskType;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.ObjectWriter;

/**
 * Finishes a job once every item is final: writes {@code _SUCCESS} (or {@code _FAILED}, with the
 * failures, when any item failed terminally) under the output URI, then marks the job. For each
 * succeeded item it lists the data parts that tile the item's range exactly once ({@link
 * ItemStore#selectedParts}; checkpoint parts together with their continuations, never a duplicate
 * or an overlap), each with the files it is made of (an {@code .npy} part and its {@code
 * .ids.jsonl} sidecar), and their error parts, and counts records from exactly those; it records
 * the job's output format. An item marked succeeded whose parts do not tile its range is not done:
 * the job stays running. Safe to call again: the manifest is rewritten the same way and the status
 * change happens once. A failure that every item shares ends the job at once ({@link #failEarly}).
 */
public class ManifestWriter {
  public static final String SUCCESS = "_SUCCESS";
  public static final String FAILED = "_FAILED";
  private static final Logger log = LoggerFactory.getLogger(ManifestWriter.class);

  private final JobStore jobs;
  private final ObjectStore store;
  private final CostCalculator costs;
  private final Clock clock;
  private final ObjectWriter json = Json.prettyWriter();

  public ManifestWriter(JobStore jobs, ObjectStore store, CostCalculator costs, Clock clock) {
    this.jobs = jobs;
    this.store = store;
    this.costs = costs;
    this.clock = clock;
  }

  /**
   * Completes the job if it is running and every item is final.
   *
   * @return the status the job ended in, or null if it is not done (or not running)
   */
  public JobStatus completeIfDone(String jobId) {
    Job job = jobs.findJob(jobId).orElse(null);
    if (job == null || job.status() != JobStatus.RUNNING) {
      return null;
    }
    ItemCounts counts = jobs.items().itemCounts(jobId);
    if (!counts.allFinal()) {
      if (counts.pending() > 0) {
        return null; // not done, and reading every part to log untiled items would cost O(job)
      }
      for (ItemRow item : jobs.items().selectedParts(jobId).untiled()) {
        log.error(
            "job {} item {} succeeded but its parts do not tile {}; the job stays running"
                + " until they do",
            jobId,
            item.itemId(),
            item.range());
      }
      return null;
    }
    boolean failed = counts.failed() > 0;
    StoreUri output = StoreUri.parse(job.outputUri());
    StoreUri manifest = output.resolve(failed ? FAILED : SUCCESS);
    store.put(manifest, manifestBytes(job, failed, null));
    store.delete(output.resolve(failed ? SUCCESS : FAILED));
    JobStatus status = failed ? JobStatus.FAILED : JobStatus.SUCCEEDED;
    String reason =
        failed
            ? counts.failed()
                + " of "
                + counts.total()
                + " items failed"
                + sharedReason(jobId)
                + "; see "
                + manifest
            : null;
    if (jobs.finish(jobId, status, reason, manifest.toString(), clock.instant())) {
      log.info("job {} {}: manifest {}", jobId, status, manifest);
    }
    return status;
  }

  /**
   * Ends a running job at once for a failure that every item shares ({@link
   * FailureCause#endsJob()}, e.g. a model that cannot run): its unfinished items fail with that
   * reason without being run (a retry re-runs them), the {@code _FAILED} manifest names the cause
   * and the reason, and the job is FAILED. Workers that still lease its queued items refuse them
   * before reading a record (they remember the model as unusable); their late events change
   * nothing. Safe to call again.
   *
   * @return true if this call ended the job
   */
  public boolean failEarly(String jobId, String itemId, FailureCause cause, String reason) {
    Job job = jobs.findJob(jobId).orElse(null);
    if (job == null || job.status() != JobStatus.RUNNING) {
      return false;
    }
    int notRun =
        jobs.itemStates()
            .failUnfinished(
                jobId,
                "not run: item " + itemId + " found " + cause + ": " + reason,
                clock.instant());
    StoreUri output = StoreUri.parse(job.outputUri());
    StoreUri manifest = output.resolve(FAILED);
    Map<String, Object> failure = new LinkedHashMap<>();
    failure.put("cause", cause.name());
    failure.put("item", itemId);
    failure.put("reason", reason);
    store.put(manifest, manifestBytes(job, true, failure));
    store.delete(output.resolve(SUCCESS));
    String why =
        cause
            + ": "
            + reason
            + " (the job failed at item "
            + itemId
            + "; "
            + notRun
            + " unfinished items were not run); see "
            + manifest;
    boolean ended = jobs.finish(jobId, JobStatus.FAILED, why, manifest.toString(), clock.instant());
    if (ended) {
      log.warn("job {} FAILED early ({}): {}", jobId, cause, reason);
    }
    return ended;
  }

  /**
   * {@code ": <reason>"} when every item failed for good for the same reason (a model that cannot
   * run fails each item the same way: the job says why), else empty.
   */
  private String sharedReason(String jobId) {
    List<String> reasons =
        jobs.items().failures(jobId).stream()
            .filter(FailureRow::terminal)
            .map(FailureRow::reason)
            .distinct()
            .limit(2)
            .toList();
    return reasons.size() == 1 ? ": " + reasons.get(0) : "";
  }

  /**
   * @param failure for a job that failed early: its cause, item and reason (else null)
   */
  byte[] manifestBytes(Job job, boolean failed, Map<String, Object> failure) {
    List<Map<String, Object>> parts = new ArrayList<>();
    List<Map<String, Object>> errors = new ArrayList<>();
    long ok = 0;
    long bad = 0;
    SelectedParts selected = jobs.items().selectedParts(job.id());
    for (PartRow p : selected.data()) {
      Map<String, Object> part = entry(p);
      // the objects that make the part, its data last; from the part's own suffix, which is what
      // its worker wrote
      part.put("files", OutputFormat.ofPart(p.path()).partFiles(p.path()));
      parts.add(part);
      ok += p.records();
    }
    for (PartRow p : selected.errors()) {
      errors.add(entry(p));
      bad += p.records();
    }
    JobCost cost = costs.jobCost(job.id(), jobs);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("jobId", job.id());
    m.put("status", failed ? JobStatus.FAILED.name() : JobStatus.SUCCEEDED.name());
    TaskSpec task = jobs.taskSpec(job.id()).orElse(TaskSpec.embed(job.model()));
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("name", job.model());
    if (task.model() != null && task.model().brought()) {
      model.put("uri", task.model().uri());
      model.put("digest", task.model().digest());
    }
    m.put("model", model);
    m.put("tasks", task.tasks().stream().map(TaskType::id).toList());
    m.put("format", job.outputFormat().id());
    m.put("parts", parts);
    m.put("errors", errors);
    Map<String, Object> records = new LinkedHashMap<>();
    records.put("succeeded", ok);
    records.put("failed", bad);
    m.put("records", records);
    m.put("cost", costView(cost));
    if (failure != null) {
      m.put("failure", failure);
    }
    if (failed) {
      List<Map<String, Object>> failures = new ArrayList<>();
      for (ItemRow item : jobs.items().inJob(job.id(), ItemStatus.FAILED)) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("itemId", item.itemId());
        f.put("input", item.inputUri());
        f.put("range", Map.of("start", item.range().start(), "end", item.range().end()));
        f.put("attempts", item.failures());
        f.put("reason", item.lastError());
        failures.add(f);
      }
      m.put("failures", failures);
    }
    return json.writeValueAsBytes(m);
  }

  private static Map<String, Object> entry(PartRow p) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("path", p.path());
    entry.put("records", p.records());
    return entry;
  }

  /** The job's cost as the manifest and the job view show it. */
  public static Map<String, Object> costView(JobCost cost) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("usd", cost.usd());
    c.put("onDemandUsd", cost.onDemandUsd());
    c.put("savingsPct", cost.savingsPct());
    c.put("wastedUsd", cost.wastedUsd());
    c.put("machineHours", cost.machineHours());
    c.put("interruptions", cost.interruptions());
    c.put("wastedRecords", cost.wastedRecords());
    c.put("wastedByKind", cost.wastedByKind());
    c.put("pricing", cost.pricing());
    c.put("unpricedMachineHours", cost.unpricedMachineHours());
    return c;
  }
}
