package dev.spotbatch.dispatcher.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The {@code model} of a job: a built-in model's name as a plain string ({@code
 * "all-minilm-l6-v2"}), or an object naming a built-in model or a location holding your own.
 */
@Schema(
    name = "JobModel",
    description =
        "a built-in model by name (a string, e.g. `all-minilm-l6-v2`), or an object: your own"
            + " model by `uri` (a location under the model roots holding model.onnx,"
            + " tokenizer.json and spotbatch-model.json)")
public record ModelChoice(
    @Schema(description = "a built-in model's name", example = "all-minilm-l6-v2") String name,
    @Schema(
            description = "your own model's location (s3://... or file:///..., a prefix)",
            example = "s3://models/e5-small-v2/")
        String uri,
    @Schema(
            description = "the task the model is used for when `tasks` is not given",
            allowableValues = {"embed", "classify", "similarity"})
        String task,
    @Schema(
            description = "which of the model's prefixes the records get (e5: passage or query)",
            example = "passage")
        String input) {

  @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
  public ModelChoice {}

  /** The plain-string form: a built-in model's name. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static ModelChoice named(String name) {
    return new ModelChoice(name, null, null, null);
  }
}
