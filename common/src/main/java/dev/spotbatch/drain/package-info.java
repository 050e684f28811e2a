/**
 * The drain's pure decisions after a termination notice: {@link dev.spotbatch.drain.DrainPlanner}
 * decides per item (finish, checkpoint, hand back) from the clock and measured rates; shared by the
 * worker, which carries it out, and the dispatcher's simulator, which replays it.
 */
package dev.spotbatch.drain;
