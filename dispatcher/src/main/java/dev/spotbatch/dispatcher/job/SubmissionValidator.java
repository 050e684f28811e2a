package dev.spotbatch.dispatcher.job;

import dev.spotbatch.model.OutputFormat;
import dev.spotbatch.store.ObjectStore;
import dev.spotbatch.store.StorageRoots;
import dev.spotbatch.store.StoreUri;
import dev.spotbatch.task.TaskSpec;
import dev.spotbatch.task.TaskType;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks a {@link JobSubmission} against the storage roots and the job limits, and fills in the
 * defaults; every problem found is reported at once, in one {@link InvalidJobException}.
 */
final class SubmissionValidator {
  private final StorageRoots storage;
  private final JobLimits limits;
  private final Clock clock;
  private final TaskValidator tasks;

  /**
   * @param models where jobs may bring models from, and how large they may be
   */
  SubmissionValidator(
      ObjectStore store,
      StorageRoots storage,
      JobLimits limits,
      ModelLocationPolicy models,
      Clock clock) {
    this.tasks = new TaskValidator(store, models, limits.models());
    this.storage = storage;
    this.limits = limits;
    this.clock = clock;
  }

  record Valid(
      StoreUri input,
      StoreUri output,
      OutputFormat outputFormat,
      long itemBytes,
      int maxAttempts,
      TaskSpec task,
      Instant deadline,
      int priority) {}

  Valid validate(JobSubmission s) {
    List<Violation> v = new ArrayList<>();
    TaskSpec task = tasks.validate(s.task(), v);
    StoreUri input = null;
    boolean hasInput = s.inputGiven();
    boolean hasRecords = s.records() != null;
    if (hasInput && hasRecords) {
      v.add(
          new Violation(
              "input", "give either 'input' (a URI) or 'records' (inline records), not both"));
    } else if (!hasInput && !hasRecords) {
      v.add(
          new Violation(
              "input",
              "give either 'input': {\"uri\": \"s3://bucket/docs/\" or \"file:///...\"} or"
                  + " 'records': [{\"id\": \"a\", \"text\": \"...\"}]"));
    } else if (hasInput) {
      if (s.inputUri() == null || s.inputUri().isBlank()) {
        v.add(new Violation("input.uri", "input.uri is required, under " + storage.describe()));
      } else {
        try {
          input = storage.check(s.inputUri());
        } catch (IllegalArgumentException e) {
          v.add(new Violation("input.uri", e.getMessage()));
        }
      }
      if (s.inputFormat() != null && !"jsonl".equals(s.inputFormat().toLowerCase(Locale.ROOT))) {
        v.add(
            new Violation(
                "input.format", "unsupported format '" + s.inputFormat() + "'; supported: jsonl"));
      }
    }
    StoreUri output = null;
    if (!s.outputGiven() || s.outputUri() == null || s.outputUri().isBlank()) {
      v.add(
          new Violation(
              s.outputGiven() ? "output.uri" : "output",
              "an output location is required: \"output\": {\"uri\": \"...\"} under "
                  + storage.describe()));
    } else {
      try {
        output = storage.check(s.outputUri());
      } catch (IllegalArgumentException e) {
        v.add(new Violation("output.uri", e.getMessage()));
      }
    }
    OutputFormat outputFormat = outputFormat(s.outputFormat(), task, v);
    long itemBytes = s.itemBytes() == null ? limits.defaultItemBytes() : s.itemBytes();
    if (itemBytes < limits.minItemBytes() || itemBytes > limits.maxItemBytes()) {
      v.add(
          new Violation(
              "itemBytes",
              "itemBytes must be between "
                  + limits.minItemBytes()
                  + " (1 KiB) and "
                  + limits.maxItemBytes()
                  + " (1 GiB), was "
                  + itemBytes
                  + "; default "
                  + limits.defaultItemBytes()));
    }
    int maxAttempts = s.maxAttempts() == null ? limits.defaultMaxAttempts() : s.maxAttempts();
    if (maxAttempts < 1 || maxAttempts > limits.maxMaxAttempts()) {
      v.add(
          new Violation(
              "maxAttempts",
              "maxAttempts must be between 1 and "
                  + limits.maxMaxAttempts()
                  + ", was "
                  + maxAttempts
                  + "; default "
                  + limits.defaultMaxAttempts()));
    }
    if (s.records() != null) {
      for (int i = 0; i < s.records().size(); i++) {
        if (s.records().get(i) == null) {
          v.add(new Violation("records[" + i + "]", "each record must be a JSON object, not null"));
        }
      }
    }
    Instant deadline = deadline(s.deadline(), v);
    int priority = s.priority() == null ? 0 : s.priority();
    if (priority < Job.MIN_PRIORITY || priority > Job.MAX_PRIORITY) {
      v.add(
          new Violation(
              "priority",
              "priority must be between "
                  + Job.MIN_PRIORITY
                  + " and "
                  + Job.MAX_PRIORITY
                  + " (higher runs first when the fleet cannot meet every deadline), was "
                  + priority
                  + "; default 0"));
    }
    if (!v.isEmpty()) {
      throw new InvalidJobException(v);
    }
    return new Valid(input, output, outputFormat, itemBytes, maxAttempts, task, deadline, priority);
  }

  /**
   * The output format named, or null when it is unknown or does not fit the tasks (added to {@code
   * v}). {@code npy} holds one vector per record, so it needs a chain that ends with embed.
   */
  private static OutputFormat outputFormat(String name, TaskSpec task, List<Violation> v) {
    OutputFormat format;
    try {
      format = OutputFormat.of(name);
    } catch (IllegalArgumentException e) {
      v.add(new Violation("output.format", e.getMessage() + " (default jsonl)"));
      return null;
    }
    if (format == OutputFormat.NPY && task != null && task.terminal() != TaskType.EMBED) {
      List<String> ids = task.tasks().stream().map(TaskType::id).toList();
      TaskType last = task.terminal();
      v.add(
          new Violation(
              "output.format",
              "output format 'npy' holds one vector per record, but tasks "
                  + ids
                  + (last == null
                      ? " give texts, not vectors"
                      : " end with '" + last.id() + "', whose result is not a vector")
                  + "; end the tasks with embed (e.g. [\"embed\"] or [\"clean\", \"chunk\","
                  + " \"embed\"]) or use format 'jsonl'; allowed: "
                  + String.join(", ", OutputFormat.ids())));
      return null;
    }
    return format;
  }

  /** The deadline as an instant; null when none was given or it is invalid (added to {@code v}). */
  private Instant deadline(String text, List<Violation> v) {
    if (text == null) {
      return null;
    }
    Instant deadline;
    try {
      deadline = OffsetDateTime.parse(text.trim()).toInstant();
    } catch (DateTimeParseException e) {
      v.add(
          new Violation(
              "deadline",
              "deadline must be an ISO-8601 instant with a zone, e.g. 2026-12-02T08:00:00Z or"
                  + " 2026-12-02T09:00:00+01:00; was '"
                  + text
                  + "'"));
      return null;
    }
    Instant now = clock.instant();
    if (!deadline.isAfter(now)) {
      v.add(
          new Violation(
              "deadline",
              "deadline "
                  + deadline
                  + " is in the past (now is "
                  + now
                  + "); give a future instant, or leave it out to run without one"));
      return null;
    }
    return deadline;
  }
}
