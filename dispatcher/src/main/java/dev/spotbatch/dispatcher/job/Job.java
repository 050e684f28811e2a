package dev.spotbatch.dispatcher.job;

import java.time.Instant;
import java.util.Objects;

/**
 * A job as stored: what to run, where its input and output are, and where it is in its life.
 *
 * @param inputUri the input object or prefix; for inline records, the staged JSONL object
 * @param outputUri the output prefix, ending in {@code /}
 * @param reason why the job failed, or null
 * @param manifestUri the {@code _SUCCESS} or {@code _FAILED} manifest once written, or null
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
    Instant finishedAt) {
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
  }
}
