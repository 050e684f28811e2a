package dev.spotbatch.dispatcher.job;

/**
 * A job's item counts and the record counts of the parts its manifest would list, as the job view
 * shows them ({@link ItemStore#progress}).
 */
public record JobProgress(ItemCounts items, RecordCounts records) {}
