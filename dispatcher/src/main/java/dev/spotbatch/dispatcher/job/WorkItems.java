package dev.spotbatch.dispatcher.job;

import dev.spotbatch.model.Attempts;
import dev.spotbatch.model.ByteRange;
import dev.spotbatch.model.InputFormat;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.task.TaskSpec;

/**
 * Builds work items for a job: deterministic ids and the job's model (or tasks: null for the
 * original shape), fields, output and output format.
 */
public final class WorkItems {
  private WorkItems() {}

  /**
   * {@code <jobId>-<index>}, the index zero-padded to 6 digits ({@code %06d}, written by hand:
   * {@code String.format} was the planner thread's top frame in a profile of 100,000 items).
   */
  static String itemId(String jobId, int index) {
    if (index < 0) {
      throw new IllegalArgumentException("index must be >= 0, was " + index);
    }
    String digits = Integer.toString(index);
    StringBuilder id = new StringBuilder(jobId.length() + 1 + Math.max(6, digits.length()));
    id.append(jobId).append('-');
    for (int i = digits.length(); i < 6; i++) {
      id.append('0');
    }
    return id.append(digits).toString();
  }

  static WorkItem of(
      Job job, TaskSpec task, int index, String inputUri, String inputName, ByteRange range) {
    return new WorkItem(
        job.id(),
        itemId(job.id(), index),
        index,
        job.model(),
        inputUri,
        inputName,
        range,
        InputFormat.JSONL,
        job.textField(),
        job.idField(),
        job.outputUri(),
        Attempts.NONE,
        job.maxAttempts(),
        task,
        job.outputFormat());
  }

  /**
   * The item as stored, to be sent again (a retry, a resume, the reconciler), with the job's tasks
   * ({@link JobStore#taskSpec}; null for the original shape).
   */
  public static WorkItem of(Job job, TaskSpec task, ItemRow row) {
    return new WorkItem(
        job.id(),
        row.itemId(),
        row.index(),
        job.model(),
        row.inputUri(),
        row.inputName(),
        row.range(),
        InputFormat.JSONL,
        job.textField(),
        job.idField(),
        job.outputUri(),
        new Attempts(row.failures(), row.interruptions()),
        job.maxAttempts(),
        task,
        job.outputFormat());
  }
}
