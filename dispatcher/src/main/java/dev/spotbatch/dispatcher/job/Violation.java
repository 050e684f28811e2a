package dev.spotbatch.dispatcher.job;

/** One thing wrong with a request: the JSON field and what to do about it. */
public record Violation(String field, String message) {}
