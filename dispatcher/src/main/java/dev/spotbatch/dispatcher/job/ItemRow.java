package dev.spotbatch.dispatcher.job;

import dev.spotbatch.model.ByteRange;

/** A work item as the job store tracks it. */
public record ItemRow(
    String itemId,
    String jobId,
    int index,
    String inputUri,
    String inputName,
    ByteRange range,
    ItemStatus status,
    int failures,
    int interruptions,
    String lastError) {}
