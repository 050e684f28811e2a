package dev.spotbatch.dispatcher.job;

/** Records written to result parts ({@code succeeded}) and to error parts ({@code failed}). */
public record RecordCounts(long succeeded, long failed) {}
