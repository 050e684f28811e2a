/**
 * The work and event queue ports. Adapters live in sub-packages named after their system ({@code
 * .sqs}, {@code .kafka}) and fill in only the broker calls; the in-memory adapters are test support
 * (common's test-jar).
 */
package dev.spotbatch.queue;
