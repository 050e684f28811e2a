/**
 * The lease loop, slots, heartbeat and per-item processing, written once against the WorkQueue
 * port.
 */
package dev.spotbatch.worker.lease;
