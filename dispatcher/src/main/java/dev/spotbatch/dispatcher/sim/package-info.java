/**
 * The spot-market simulator: a discrete-event simulation with an injected clock that drives the
 * real autoscaler ({@link dev.spotbatch.dispatcher.fleet.scaling.Autoscaler}) and the real drain
 * planner ({@link dev.spotbatch.drain.DrainPlanner}) through a simulated fleet, from scenario
 * files.
 */
package dev.spotbatch.dispatcher.sim;
