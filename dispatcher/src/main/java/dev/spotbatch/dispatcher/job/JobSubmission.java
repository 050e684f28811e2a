package dev.spotbatch.dispatcher.job;

import java.util.List;
import java.util.Map;

/**
 * A job as submitted, before validation: every field may be missing.
 *
 * @param inputGiven whether the request had an {@code input} object at all
 * @param records inline records, or null when the request had none
 * @param outputGiven whether the request had an {@code output} object at all
 * @param outputFormat the output format as sent ({@code jsonl}, {@code npy}), or null (jsonl)
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
    String outputFormat,
    Long itemBytes,
    Integer maxAttempts,
    TaskRequest task,
    String deadline,
    Integer priority) {

  public JobSubmission {
    task = task == null ? TaskRequest.model(model) : task;
  }

  /**
   * A submission that embeds the JSON lines at {@code inputUri} with the built-in model {@code
   * model} and writes under {@code outputUri}, without a deadline, at priority 0; a null {@code
   * itemBytes} or {@code maxAttempts} takes the default.
   */
  public static JobSubmission of(
      String name,
      String model,
      String inputUri,
      String outputUri,
      Long itemBytes,
      Integer maxAttempts) {
    return new JobSubmission(
        name,
        model,
        true,
        inputUri,
        null,
        null,
        null,
        null,
        true,
        outputUri,
        null,
        itemBytes,
        maxAttempts,
        null,
        null,
        null);
  }

  /** Like {@link #of}, with inline {@code records} as the input and default limits. */
  public static JobSubmission ofRecords(
      String name, String model, List<Map<String, Object>> records, String outputUri) {
    return new JobSubmission(
        name, model, false, null, null, null, null, records, true, outputUri, null, null, null,
        null, null, null);
  }
}
