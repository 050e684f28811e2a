package dev.spotbatch.dispatcher.api;

import dev.spotbatch.dispatcher.job.JobSubmission;
import dev.spotbatch.dispatcher.job.TaskRequest;
import dev.spotbatch.task.ChunkOptions;
import dev.spotbatch.task.CleanOptions;
import dev.spotbatch.task.ScoreOptions;
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
            description =
                "the model: a built-in one by name (an unknown one is refused with the known ones"
                    + " listed), or {\"uri\": ...} for your own; needed unless the tasks use"
                    + " none (e.g. chunk alone)",
            example = "all-minilm-l6-v2",
            oneOf = {String.class, ModelChoice.class})
        ModelChoice model,
    @Schema(description = "the input by URI; or give `records`") Input input,
    @Schema(
            description = "inline records instead of `input`: objects with `id` and `text`",
            example = "[{\"id\":\"a\",\"text\":\"A man is eating food.\"}]")
        List<Map<String, Object>> records,
    @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Output output,
    @Schema(description = "input bytes per work item (default 1 MiB)", example = "1048576")
        Long itemBytes,
    @Schema(description = "failed attempts per item before it fails for good", example = "3")
        Integer maxAttempts,
    @Schema(
            description =
                "what each record goes through, in order (default [\"embed\"]): clean, chunk,"
                    + " then at most one of embed, classify, similarity, plugin",
            example = "[\"clean\", \"chunk\", \"embed\"]")
        List<String> tasks,
    @Schema(description = "options of the tasks") TaskOptionsRequest options,
    @Schema(
            description =
                "when the job should be done, an ISO-8601 instant in the future; the autoscaler"
                    + " sizes the fleet to finish it by then (optional)",
            example = "2026-12-02T08:00:00Z",
            type = "string",
            format = "date-time")
        String deadline,
    @Schema(
            description =
                "-100..100, default 0: higher is served first when the fleet cannot meet every"
                    + " deadline",
            example = "0",
            minimum = "-100",
            maximum = "100")
        Integer priority) {

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
          String uri,
      @Schema(
              description =
                  "how the result parts are written (default jsonl): jsonl, one JSON object per"
                      + " record; npy, the vectors as a NumPy float32 array per part with the ids"
                      + " (and other fields) row for row in a <part>.ids.jsonl sidecar: only for"
                      + " tasks whose result is a vector (embed); record errors are JSON lines in"
                      + " both",
              allowableValues = {"jsonl", "npy"},
              example = "npy")
          String format) {}

  JobSubmission toSubmission() {
    return new JobSubmission(
        name,
        model == null ? null : model.name(),
        input != null,
        input == null ? null : input.uri(),
        input == null ? null : input.format(),
        input == null ? null : input.textField(),
        input == null ? null : input.idField(),
        records,
        output != null,
        output == null ? null : output.uri(),
        output == null ? null : output.format(),
        itemBytes,
        maxAttempts,
        taskRequest(),
        deadline,
        priority);
  }

  private TaskRequest taskRequest() {
    ModelChoice m = model == null ? ModelChoice.named(null) : model;
    TaskOptionsRequest o =
        options == null ? new TaskOptionsRequest(null, null, null, null, null) : options;
    TaskOptionsRequest.Chunk c = o.chunk();
    TaskOptionsRequest.Clean k = o.clean();
    TaskOptionsRequest.Scores cl = o.classify();
    TaskOptionsRequest.Scores sim = o.similarity();
    return new TaskRequest(
        m.name(),
        m.uri(),
        m.task(),
        m.input(),
        tasks,
        c == null ? null : () -> new ChunkOptions(c.maxTokens(), c.overlap(), c.tokenizer()),
        k == null
            ? null
            : () ->
                new CleanOptions(
                    k.nfkc(), k.whitespace(), k.html(), k.minChars(), k.maxChars(), k.dedupe()),
        cl == null ? null : () -> new ScoreOptions(cl.topK(), cl.labels(), cl.queries()),
        sim == null ? null : () -> new ScoreOptions(sim.topK(), sim.labels(), sim.queries()),
        o.plugin());
  }
}
