package dev.spotbatch.dispatcher.job;

import dev.spotbatch.model.InstanceFacts;
import java.time.Instant;

/** Machine time one event reports for a job, on the machine it ran on. */
public record UsageRow(
    String eventId,
    String jobId,
    String itemId,
    String workerId,
    InstanceFacts instance,
    double machineSeconds,
    Instant at) {}
