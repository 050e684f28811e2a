package dev.spotbatch.dispatcher.api;

import dev.spotbatch.dispatcher.cost.JobCost;
import dev.spotbatch.dispatcher.job.ItemCounts;
import dev.spotbatch.dispatcher.job.Job;
import dev.spotbatch.dispatcher.job.JobDetails;
import dev.spotbatch.dispatcher.job.RecordCounts;
import java.time.Instant;

/**
 * A job as the API shows it; field names are the API contract (DESIGN.md). {@code reason} is an
 * addition: why a job FAILED or was CANCELLED, else null.
 */
public record JobResponse(
    String id,
    String name,
    String status,
    String model,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    Items items,
    Records records,
    Output output,
    Cost cost,
    String reason) {

  public record Items(long total, long pending, long running, long succeeded, long failed) {}

  public record Records(long succeeded, long failed) {}

  public record Output(String uri, String manifest) {}

  public record Cost(double usd, double onDemandUsd, Double savingsPct) {}

  static JobResponse of(JobDetails d) {
    Job j = d.job();
    ItemCounts i = d.items();
    RecordCounts r = d.records();
    JobCost c = d.cost();
    return new JobResponse(
        j.id(),
        j.name(),
        j.status().name(),
        j.model(),
        j.createdAt(),
        j.startedAt(),
        j.finishedAt(),
        new Items(i.total(), i.pending(), i.running(), i.succeeded(), i.failed()),
        new Records(r.succeeded(), r.failed()),
        new Output(j.outputUri(), j.manifestUri()),
        new Cost(c.usd(), c.onDemandUsd(), c.savingsPct()),
        j.reason());
  }
}
