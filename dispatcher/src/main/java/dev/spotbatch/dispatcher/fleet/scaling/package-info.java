/**
 * The autoscaler's core: from an immutable {@link
 * dev.spotbatch.dispatcher.fleet.scaling.ScalingSnapshot snapshot} of jobs, queue, pools and
 * workers it decides the desired capacity per pool, with a reason a person can read for every
 * change. Plain Java with an injected clock: no Spring, no I/O.
 */
package dev.spotbatch.dispatcher.fleet.scaling;
