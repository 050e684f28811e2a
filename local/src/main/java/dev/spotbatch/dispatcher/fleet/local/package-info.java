/**
 * The local process fleet of the embedded default: worker JVMs on this machine, each with its own
 * metadata endpoint, supervised, interruptible the way a cloud interrupts, and optionally under
 * chaos; the {@code local} capacity provider.
 */
package dev.spotbatch.dispatcher.fleet.local;
