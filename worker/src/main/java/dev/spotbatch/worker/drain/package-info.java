/**
 * The deadline-aware drain after a termination notice: {@link
 * dev.spotbatch.worker.drain.DrainPlanner} decides per item (finish, checkpoint, hand back) and
 * {@link dev.spotbatch.worker.drain.Drainer} carries it out against the work queue port, reports it
 * and stops the runtime.
 */
package dev.spotbatch.worker.drain;
