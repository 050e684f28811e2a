/**
 * Worker capacity: the {@code CapacityProvider} port, its pools, and what it reports of workers and
 * interruptions; providers live in sub-packages ({@code .local} in spotbatch-local).
 */
package dev.spotbatch.dispatcher.fleet;
