/**
 * Worker capacity: the CapacityProvider port and the local process fleet of the embedded default.
 */
package dev.spotbatch.dispatcher.fleet;
