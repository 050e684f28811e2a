/**
 * AWS EC2 instance metadata (IMDSv2 only): spot interruption, rebalance recommendation and Auto
 * Scaling lifecycle notices, and the instance's facts.
 */
package dev.spotbatch.worker.notice.aws;
