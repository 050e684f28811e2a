/**
 * Azure Instance Metadata Service: Scheduled Events (Preempt, Terminate), their acknowledgement,
 * and the VM's facts.
 */
package dev.spotbatch.worker.notice.azure;
