package dev.spotbatch.dispatcher.job;

import dev.spotbatch.dispatcher.cost.JobCost;
import dev.spotbatch.task.TaskSpec;

/**
 * A job with its item and record counts, its cost so far and its ETA.
 *
 * @param task the job's tasks and model; null for a job of the original shape (embed with {@code
 *     job.model()})
 */
public record JobDetails(
    Job job, ItemCounts items, RecordCounts records, JobCost cost, TaskSpec task, JobEta eta) {
  public JobDetails {
    eta = eta == null ? JobEta.UNKNOWN : eta;
  }
}
