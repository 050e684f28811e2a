/**
 * Local stand-ins for cloud services that answer exactly as the provider documents them, so the
 * production code paths run on one machine: an AWS IMDSv2 endpoint per local worker.
 */
package dev.spotbatch.localcloud;
