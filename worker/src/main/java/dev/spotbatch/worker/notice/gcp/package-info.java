/** GCP Compute Engine metadata: the {@code instance/preempted} notice and the instance's facts. */
package dev.spotbatch.worker.notice.gcp;
