/**
 * The lease loop, slots, heartbeat and the state of each lease being worked on, written once
 * against the WorkSource port.
 */
package dev.spotbatch.worker.lease;
