package dev.spotbatch.dispatcher.api;

import dev.spotbatch.dispatcher.job.JobSubmission;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/** Body of {@code POST /api/v1/jobs}; field names are the API contract (DESIGN.md). */
@Schema(
    description =
        "A job to run: `input` (by URI) or inline `records`, and an `output` URI, both under the"
            + " allowed roots")
public record JobRequest(
    @Schema(description = "a name for people", example = "docs") String name,
    @Schema(
            description = "the model; an unknown one is refused with the known ones listed",
            example = "all-minilm-l6-v2",
            requiredMode = Schema.RequiredMode.REQUIRED)
        String model,
    @Schema(description = "the input by URI; or give `records`") Input input,
    @Schema(
            description = "inline records instead of `input`: objects with `id` and `text`",
            example = "[{\"id\":\"a\",\"text\":\"A man is eating food.\"}]")
        List<Map<String, Object>> records,
    @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Output output,
    @Schema(description = "input bytes per work item (default 1 MiB)", example = "1048576")
        Long itemBytes,
    @Schema(description = "failed attempts per item before it fails for good", example = "3")
        Integer maxAttempts) {

  /** The input: JSONL object(s) by URI. */
  @Schema(name = "JobInput")
  public record Input(
      @Schema(
              description = "one object, or a prefix (ends with /) of objects",
              example = "file:///data/docs.jsonl",
              requiredMode = Schema.RequiredMode.REQUIRED)
          String uri,
      @Schema(example = "jsonl") String format,
      @Schema(description = "the field holding the text (default text)", example = "text")
          String textField,
      @Schema(
              description = "the field holding the id (default: <object>:<byte offset>)",
              example = "id")
          String idField) {}

  /** Where results go. */
  @Schema(name = "JobOutputTarget")
  public record Output(
      @Schema(
              description = "a prefix the parts and the manifest are written under",
              example = "file:///data/out/docs/",
              requiredMode = Schema.RequiredMode.REQUIRED)
          String uri) {}

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
