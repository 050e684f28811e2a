package dev.spotbatch.dispatcher.api;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Map;

/** Options of the job's tasks, each for the task of its name; all optional. */
@Schema(name = "JobTaskOptions")
public record TaskOptionsRequest(
    Chunk chunk,
    Clean clean,
    @Schema(description = "classify: top-k, and the labels for zero-shot with an embedding model")
        Scores classify,
    @Schema(description = "similarity: top-k and the queries each record is scored against")
        Scores similarity,
    @Schema(description = "the translator plugin's name, for the plugin task", example = "reverse")
        String plugin) {

  /** {@code chunk}: tokens per chunk, overlap, whose tokenizer. */
  @Schema(name = "ChunkOptions")
  public record Chunk(
      @Schema(description = "tokens per chunk at most (default 128)", example = "128")
          Integer maxTokens,
      @Schema(description = "tokens repeated from the chunk before (default 16)", example = "16")
          Integer overlap,
      @Schema(
              description =
                  "`model` (the job's model), or a built-in model's name; default: the job's"
                      + " model, else all-minilm-l6-v2",
              example = "model")
          String tokenizer) {}

  /** {@code clean}: each step on unless turned off (html off unless turned on). */
  @Schema(name = "CleanOptions")
  public record Clean(
      @Schema(description = "Unicode NFKC (default true)") Boolean nfkc,
      @Schema(description = "collapse white space (default true)") Boolean whitespace,
      @Schema(description = "HTML to visible text (default false)") Boolean html,
      @Schema(description = "drop shorter texts (default 1)") Integer minChars,
      @Schema(description = "drop longer texts (default: no limit)") Integer maxChars,
      @Schema(
              description =
                  "drop exact repeats of a cleaned text across the whole job (default true)")
          Boolean dedupe) {}

  /** {@code classify} and {@code similarity}: top-k with labels or queries. */
  @Schema(name = "ScoreOptions")
  public record Scores(
      @Schema(description = "how many best labels or queries per record (default 3)") Integer topK,
      @Schema(
              description = "zero-shot labels: name to description",
              example = "{\"sport\": \"a text about sport\", \"food\": \"a text about food\"}")
          Map<String, String> labels,
      @Schema(
              description = "similarity queries: id to text",
              example = "{\"q1\": \"how do spot interruptions work?\"}")
          Map<String, String> queries) {}
}
