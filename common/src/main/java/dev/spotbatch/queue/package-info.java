/**
 * The work and event queue ports. Adapters live in sub-packages named after their system ({@code
 * .sqs}, {@code .kafka}, {@code .memory}) and fill in only the broker calls.
 */
package dev.spotbatch.queue;
