/**
 * In-memory queue adapters, test support shipped in common's test-jar: a real implementation of the
 * ports inside one JVM, for unit tests. They pass the same contract suites as the broker adapters.
 */
package dev.spotbatch.queue.memory;
