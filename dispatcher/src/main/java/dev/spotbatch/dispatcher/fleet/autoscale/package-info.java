/**
 * The autoscaler at work: a loop that reads the job store, the queue, the capacity provider and the
 * measured throughput into a snapshot each tick, asks the pure core ({@code fleet.scaling}) for a
 * plan, and applies it through the {@code CapacityProvider} port.
 */
package dev.spotbatch.dispatcher.fleet.autoscale;
