package dev.spotbatch.dispatcher.api;

import dev.spotbatch.dispatcher.job.JobSubmission;
import java.util.List;
import java.util.Map;

/** Body of {@code POST /api/v1/jobs}; field names are the API contract (DESIGN.md). */
public record JobRequest(
    String name,
    String model,
    Input input,
    List<Map<String, Object>> records,
    Output output,
    Long itemBytes,
    Integer maxAttempts) {

  /** The input: JSONL object(s) by URI. */
  public record Input(String uri, String format, String textField, String idField) {}

  /** Where results go. */
  public record Output(String uri) {}

  JobSubmission toSubmission() {
    return new JobSubmission(
        name,
        model,
        input != null,
        input == null ? null : input.uri(),
        input == null ? null : input.format(),
        input == null ? null : input.textField(),
        input == null ? null : input.idField(),
        records,
        output != null,
        output == null ? null : output.uri(),
        itemBytes,
        maxAttempts);
  }
}
