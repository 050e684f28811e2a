package dev.spotbatch.dispatcher.job;

import dev.spotbatch.model.OutputFormat;
import java.time.Instant;
import java.util.Objects;

/**
 * A job as stored: what to run, where its input and output are, and where it is in its life.
 *
 * @param inputUri the input object or prefix; for inline records, the staged JSONL object
 * @param outputUri the output prefix, ending in {@code /}
 * @param reason why the job failed, or null
 * @param manifestUri the {@code _SUCCESS} or {@code _FAILED} manifest once written, or null
 * @param deadline when the job should be done (the autoscaler sizes the fleet for it), or null
 * @param priority higher first when capacity cannot cover every deadline ({@link #MIN_PRIORITY}..
 *     {@link #MAX_PRIORITY}, default 0)
 * @param outputFormat how its result parts are written (default {@link OutputFormat#JSONL})
 */
public record Job(
    String id,
    String name,
    JobStatus status,
    String model,
    String inputUri,
    String inputFormat,
    String textField,
    String idField,
    String outputUri,
    long itemBytes,
    int maxAttempts,
    String reason,
    String manifestUri,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    Instant deadline,
    int priority,
    OutputFormat outputFormat) {
  /** The lowest priority a job may have. */
  public static final int MIN_PRIORITY = -100;

  /** The highest priority a job may have. */
  public static final int MAX_PRIORITY = 100;

  public Job {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(inputUri, "inputUri");
    Objects.requireNonNull(outputUri, "outputUri");
    Objects.requireNonNull(createdAt, "createdAt");
    name = name == null || name.isBlank() ? id : name;
    inputFormat = inputFormat == null ? "jsonl" : inputFormat;
    textField = textField == null ? "text" : textField;
    idField = idField == null ? "id" : idField;
    outputFormat = outputFormat == null ? OutputFormat.JSONL : outputFormat;
  }
}
