/**
 * The deadline-aware drain after a termination notice: {@link dev.spotbatch.worker.drain.Drainer}
 * orchestrates it, has {@code ItemSteering} carry out the decisions of {@link
 * dev.spotbatch.drain.DrainPlanner} (finish, checkpoint, hand back) against the work queue port,
 * reports it through {@code DrainTally} and stops the runtime.
 */
package dev.spotbatch.worker.drain;
