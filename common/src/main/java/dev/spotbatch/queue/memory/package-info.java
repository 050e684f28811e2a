/**
 * In-memory queue adapters: a real implementation of the ports inside one JVM, for unit tests and
 * single-process runs. They pass the same contract suite as the broker adapters.
 */
package dev.spotbatch.queue.memory;
