package dev.spotbatch.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.spotbatch.task.TaskSpec;
import java.util.Locale;
import java.util.Objects;

/**
 * One unit of work: a byte range of one input object, to be run through one model, with its output
 * written to a deterministic part under the job's output URI. Messages carry this reference, never
 * the data.
 *
 * @param jobId the job this item belongs to
 * @param itemId unique and stable for the life of the item, continuations included
 * @param index position of the item in the job's plan; names its output parts
 * @param model model name, as in the model registry
 * @param inputUri the input object ({@code s3://bucket/key} or {@code file:///path})
 * @param inputName the object's name relative to the job's input; default record ids use it
 * @param range the bytes of the input this item owns (line-split rule); a continuation starts later
 * @param format input format
 * @param textField the JSON field that holds the text
 * @param idField the JSON field that holds the record id; absent ids become {@code
 *     <inputName>:<offset>}
 * @param outputUri the job's output prefix, ending in {@code /}
 * @param attempts failures and interruptions so far
 * @param maxAttempts failures allowed before the item is reported failed
 * @param task what each record goes through (tasks, model, options); null for the original job
 *     shape: embed with the model {@code model} names
 * @param outputFormat how the result parts are written; null (a message from before the field
 *     existed) means {@link OutputFormat#JSONL}
 */
public record WorkItem(
    String jobId,
    String itemId,
    int index,
    String model,
    String inputUri,
    String inputName,
    ByteRange range,
    InputFormat format,
    String textField,
    String idField,
    String outputUri,
    Attempts attempts,
    int maxAttempts,
    TaskSpec task,
    @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = WorkItem.JsonLines.class)
        OutputFormat outputFormat) {

  public WorkItem {
    requireText(jobId, "jobId");
    requireText(itemId, "itemId");
    requireText(model, "model");
    requireText(inputUri, "inputUri");
    requireText(inputName, "inputName");
    requireText(textField, "textField");
    requireText(idField, "idField");
    requireText(outputUri, "outputUri");
    Objects.requireNonNull(range, "range");
    format = format == null ? InputFormat.JSONL : format;
    attempts = attempts == null ? Attempts.NONE : attempts;
    outputFormat = outputFormat == null ? OutputFormat.JSONL : outputFormat;
    if (index < 0) {
      throw new IllegalArgumentException("index must be >= 0");
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1");
    }
    if (!outputUri.endsWith("/")) {
      throw new IllegalArgumentException("outputUri must end with '/': " + outputUri);
    }
  }

  /**
   * Leaves {@code outputFormat} out of the message when it is {@link OutputFormat#JSONL}, so such
   * an item is written exactly as before the field existed.
   */
  public static final class JsonLines {
    @Override
    public boolean equals(Object value) {
      return value == null || value == OutputFormat.JSONL;
    }

    @Override
    public int hashCode() {
      return 0;
    }
  }

  /** An item whose results are written as JSON lines. */
  public WorkItem(
      String jobId,
      String itemId,
      int index,
      String model,
      String inputUri,
      String inputName,
      ByteRange range,
      InputFormat format,
      String textField,
      String idField,
      String outputUri,
      Attempts attempts,
      int maxAttempts,
      TaskSpec task) {
    this(
        jobId,
        itemId,
        index,
        model,
        inputUri,
        inputName,
        range,
        format,
        textField,
        idField,
        outputUri,
        attempts,
        maxAttempts,
        task,
        OutputFormat.JSONL);
  }

  /** An item of the original job shape: embed each record with the model {@code model} names. */
  public WorkItem(
      String jobId,
      String itemId,
      int index,
      String model,
      String inputUri,
      String inputName,
      ByteRange range,
      InputFormat format,
      String textField,
      String idField,
      String outputUri,
      Attempts attempts,
      int maxAttempts) {
    this(
        jobId,
        itemId,
        index,
        model,
        inputUri,
        inputName,
        range,
        format,
        textField,
        idField,
        outputUri,
        attempts,
        maxAttempts,
        null,
        OutputFormat.JSONL);
  }

  /** What each record goes through: {@link #task}, or embedding with {@link #model}. */
  public TaskSpec taskSpec() {
    return task != null ? task : TaskSpec.embed(model);
  }

  /**
   * The part that holds this item's results for input bytes {@code [range.start, end)}, relative to
   * {@link #outputUri()}. Named by item index, start and end, so a re-run of the same range writes
   * the same name (idempotent) while a checkpoint and its continuation, or a checkpoint and a
   * complete run from the same start, never overwrite each other; the manifest picks parts that
   * tile the item's range exactly once. The suffix is the output format's ({@code .jsonl}, {@code
   * .npy}).
   */
  public String partPath(long end) {
    return partName("part", index, range.start(), end, outputFormat.extension());
  }

  /** The part for the whole of this lease's range. */
  public String partPath() {
    return partPath(range.end());
  }

  /** The record-error part for input bytes {@code [range.start, end)}. */
  public String errorPartPath(long end) {
    // record errors are JSON lines in every output format
    return "_errors/"
        + partName("errors", index, range.start(), end, OutputFormat.JSONL.extension());
  }

  /** The record-error part for the whole of this lease's range. */
  public String errorPartPath() {
    return errorPartPath(range.end());
  }

  /** The same item, to be tried again after a failure (counts against {@code maxAttempts}). */
  public WorkItem afterFailure() {
    return withAttempts(attempts.afterFailure());
  }

  /**
   * The remainder of this item after an interruption, from {@code offset} on (a record boundary);
   * does not count against {@code maxAttempts}.
   */
  public WorkItem continueFrom(long offset) {
    return new WorkItem(
        jobId,
        itemId,
        index,
        model,
        inputUri,
        inputName,
        range.from(offset),
        format,
        textField,
        idField,
        outputUri,
        attempts.afterInterruption(),
        maxAttempts,
        task,
        outputFormat);
  }

  /** True once the failures used up the budget. */
  public boolean failuresExhausted() {
    return attempts.failures() >= maxAttempts;
  }

  private WorkItem withAttempts(Attempts next) {
    return new WorkItem(
        jobId,
        itemId,
        index,
        model,
        inputUri,
        inputName,
        range,
        format,
        textField,
        idField,
        outputUri,
        next,
        maxAttempts,
        task,
        outputFormat);
  }

  static String partName(String prefix, int index, long start, long end, String extension) {
    if (end < start) {
      throw new IllegalArgumentException("part end " + end + " is before its start " + start);
    }
    return String.format(
        Locale.ROOT, "%s-%06d-%014d-%014d%s", prefix, index, start, end, extension);
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }
}
