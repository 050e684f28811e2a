/**
 * The lease loop, slots, heartbeat and per-item processing, written once against the WorkSource
 * port.
 */
package dev.spotbatch.worker.lease;
