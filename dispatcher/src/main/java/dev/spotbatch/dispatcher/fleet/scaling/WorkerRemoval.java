package dev.spotbatch.dispatcher.fleet.scaling;

/**
 * A worker the provider is to remove now: always one that was idle, held no lease and had no notice
 * when the snapshot was taken.
 */
public record WorkerRemoval(String workerId, String pool) {}
