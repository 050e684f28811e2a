package dev.spotbatch.dispatcher.api;

import dev.spotbatch.dispatcher.cost.JobCost;
import dev.spotbatch.dispatcher.fleet.JobDeferrals;
import dev.spotbatch.dispatcher.job.ItemCounts;
import dev.spotbatch.dispatcher.job.Job;
import dev.spotbatch.dispatcher.job.JobDetails;
import dev.spotbatch.dispatcher.job.RecordCounts;
import dev.spotbatch.task.TaskType;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A job as the API shows it; field names are the API contract (DESIGN.md). {@code reason} is an
 * addition: why a job FAILED or was CANCELLED, else null.
 */
@Schema(name = "Job", description = "A job")
public record JobResponse(
    @Schema(example = "0b9d6c1e-7f7a-4d4e-9a51-5a1f0f3c2e10") String id,
    @Schema(example = "docs", nullable = true) String name,
    @Schema(allowableValues = {"PENDING", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"})
        String status,
    @Schema(
            description =
                "the model's name (a built-in one, or the descriptor's name for your own); \"none\""
                    + " when the tasks use no model",
            example = "all-minilm-l6-v2")
        String model,
    @Schema(
            description = "your own model's location, or null for a built-in one",
            nullable = true,
            example = "s3://models/e5-small-v2/")
        String modelUri,
    @Schema(
            description =
                "sha256 of your own model's descriptor (which lists each file's sha256): the"
                    + " exact model the results came from; null for a built-in one",
            nullable = true,
            example = "sha256:9f2c...")
        String modelDigest,
    @Schema(
            description = "what each record went through, in order",
            example = "[\"clean\", \"chunk\", \"embed\"]")
        List<String> tasks,
    Instant createdAt,
    @Schema(nullable = true) Instant startedAt,
    @Schema(nullable = true) Instant finishedAt,
    Items items,
    Records records,
    Output output,
    Cost cost,
    @Schema(
            description = "why the job FAILED or was CANCELLED; null otherwise",
            nullable = true,
            example = "cancelled by request")
        String reason,
    @Schema(description = "when the job should be done; null: no deadline", nullable = true)
        Instant deadline,
    @Schema(description = "-100..100; higher is served first", example = "0") int priority,
    @Schema(
            description =
                "when the job should be done at its measured throughput (its finish time once"
                    + " SUCCEEDED); null while nothing is measured",
            nullable = true)
        Instant eta,
    @Schema(
            description = "whether the ETA meets the deadline; null without a deadline or an ETA",
            nullable = true)
        Boolean onTrack,
    @Schema(
            description =
                "set while the autoscaler holds the job back for cheaper hours (its deadline"
                    + " leaves slack): until when, and why; null otherwise",
            nullable = true)
        Deferral deferral) {

  /** The autoscaler holds the job back for cheaper spot hours until {@code until}. */
  @Schema(name = "JobDeferral")
  public record Deferral(
      @Schema(description = "when the first of its cheaper hours starts") Instant until,
      @Schema(
              description = "the expected prices behind the choice",
              example =
                  "job j waits until 2026-01-05T22:00:00Z to run in its 2 cheapest hour(s)"
                      + " before 2026-01-06T09:00:00Z ($0.50/h expected vs $1.00/h if it ran"
                      + " now)")
          String reason) {}

  /** Work items by state. */
  @Schema(name = "JobItems")
  public record Items(
      long total, long pending, long running, long succeeded, long failed, long cancelled) {}

  /** Records written to result parts and to error parts. */
  @Schema(name = "JobRecords")
  public record Records(long succeeded, long failed) {}

  /** Where the results are; the manifest once the job SUCCEEDED. */
  @Schema(name = "JobOutput")
  public record Output(
      @Schema(example = "file:///data/out/docs/") String uri,
      @Schema(nullable = true, example = "file:///data/out/docs/_SUCCESS") String manifest,
      @Schema(
              description = "how the result parts are written",
              allowableValues = {"jsonl", "npy"},
              example = "jsonl")
          String format) {}

  /**
   * What the job cost, what it would have cost on demand, and what work done again cost. The job is
   * charged its share of each machine's busy time (idle and boot time belong to the fleet, in
   * {@code GET /api/v1/cost}).
   */
  @Schema(name = "JobCost")
  public record Cost(
      @Schema(description = "dollars, wasted work included", example = "0.0421") double usd,
      @Schema(description = "the same machine time at on-demand prices", example = "0.1052")
          double onDemandUsd,
      @Schema(nullable = true, description = "100 * (1 - usd / onDemandUsd); null when zero")
          Double savingsPct,
      @Schema(
              description =
                  "dollars spent on work done again (failed attempts, leases abandoned in a"
                      + " drain or lost with a killed machine)")
          double wastedUsd,
      @Schema(description = "the job's share of its machines' time") double machineHours,
      @Schema(description = "interrupted items plus leases lost with their machine")
          long interruptions,
      @Schema(description = "records processed by work that was done again") long wastedRecords,
      @Schema(description = "wasted dollars by kind: failed-attempt, abandoned, killed, ...")
          Map<String, Double> wastedByKind,
      @Schema(
              description =
                  "how far to trust usd: listed, quoted, estimate, refreshed, configured,"
                      + " simulated (the local fleet: no real bill), mixed, or unknown (some"
                      + " machine time has no price and counts as zero)",
              example = "simulated")
          String pricing,
      @Schema(description = "machine hours the price book has no price for")
          double unpricedMachineHours) {
    static Cost of(JobCost c) {
      return new Cost(
          c.usd(),
          c.onDemandUsd(),
          c.savingsPct(),
          c.wastedUsd(),
          c.machineHours(),
          c.interruptions(),
          c.wastedRecords(),
          c.wastedByKind(),
          c.pricing(),
          c.unpricedMachineHours());
    }
  }

  static JobResponse of(JobDetails d) {
    return of(d, JobDeferrals.NONE);
  }

  static JobResponse of(JobDetails d, JobDeferrals deferrals) {
    Job j = d.job();
    ItemCounts i = d.items();
    RecordCounts r = d.records();
    JobCost c = d.cost();
    return new JobResponse(
        j.id(),
        j.name(),
        j.status().name(),
        j.model(),
        d.task() == null || d.task().model() == null ? null : d.task().model().uri(),
        d.task() == null || d.task().model() == null ? null : d.task().model().digest(),
        d.task() == null
            ? List.of(TaskType.EMBED.id())
            : d.task().tasks().stream().map(TaskType::id).toList(),
        j.createdAt(),
        j.startedAt(),
        j.finishedAt(),
        new Items(i.total(), i.pending(), i.running(), i.succeeded(), i.failed(), i.cancelled()),
        new Records(r.succeeded(), r.failed()),
        new Output(j.outputUri(), j.manifestUri(), j.outputFormat().id()),
        Cost.of(c),
        j.reason(),
        j.deadline(),
        j.priority(),
        d.eta().eta(),
        d.eta().onTrack(),
        j.status().isFinal()
            ? null
            : deferrals.of(j.id()).map(x -> new Deferral(x.until(), x.reason())).orElse(null));
  }
}
