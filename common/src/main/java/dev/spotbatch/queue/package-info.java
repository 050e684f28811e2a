/**
 * The work and event queue ports, one per role: {@link dev.spotbatch.queue.WorkSubmitter} (the
 * dispatcher sends items), {@link dev.spotbatch.queue.WorkSource} (a worker leases them) and {@link
 * dev.spotbatch.queue.EventQueue}. Adapters live in sub-packages named after their system ({@code
 * .sqs}, {@code .kafka}) and fill in only the broker calls; the in-memory adapters are test support
 * (common's test-jar).
 */
package dev.spotbatch.queue;
