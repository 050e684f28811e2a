package dev.spotbatch.dispatcher.job;

import dev.spotbatch.dispatcher.cost.JobCost;

/** A job with its item and record counts and its cost so far. */
public record JobDetails(Job job, ItemCounts items, RecordCounts records, JobCost cost) {}
