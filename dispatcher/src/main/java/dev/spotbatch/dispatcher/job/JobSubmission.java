package dev.spotbatch.dispatcher.job;

import java.util.List;
import java.util.Map;

/**
 * A job as submitted, before validation: every field may be missing.
 *
 * @param inputGiven whether the request had an {@code input} object at all
 * @param records inline records, or null when the request had none
 * @param outputGiven whether the request had an {@code output} object at all
 * @param task the model and tasks; {@link TaskRequest#model} of {@code model} when absent
 * @param deadline an ISO-8601 instant as sent, or null
 * @param priority as sent, or null (0)
 */
public record JobSubmission(
    String name,
    String model,
    boolean inputGiven,
    String inputUri,
    String inputFormat,
    String textField,
    String idField,
    List<Map<String, Object>> records,
    boolean outputGiven,
    String outputUri,
    Long itemBytes,
    Integer maxAttempts,
    TaskRequest task,
    String deadline,
    Integer priority) {

  public JobSubmission {
    task = task == null ? TaskRequest.model(model) : task;
  }

  /** A submission without a deadline or a priority. */
  public JobSubmission(
      String name,
      String model,
      boolean inputGiven,
      String inputUri,
      String inputFormat,
      String textField,
      String idField,
      List<Map<String, Object>> records,
      boolean outputGiven,
      String outputUri,
      Long itemBytes,
      Integer maxAttempts,
      TaskRequest task) {
    this(
        name,
        model,
        inputGiven,
        inputUri,
        inputFormat,
        textField,
        idField,
        records,
        outputGiven,
        outputUri,
        itemBytes,
        maxAttempts,
        task,
        null,
        null);
  }

  /** A submission of the original shape: embed with the built-in model {@code model}. */
  public JobSubmission(
      String name,
      String model,
      boolean inputGiven,
      String inputUri,
      String inputFormat,
      String textField,
      String idField,
      List<Map<String, Object>> records,
      boolean outputGiven,
      String outputUri,
      Long itemBytes,
      Integer maxAttempts) {
    this(
        name,
        model,
        inputGiven,
        inputUri,
        inputFormat,
        textField,
        idField,
        records,
        outputGiven,
        outputUri,
        itemBytes,
        maxAttempts,
        (TaskRequest) null);
  }
}
