/** Versioned JSON encoding of the messages on the work and event queues. */
package dev.spotbatch.codec;
