package dev.spotbatch.dispatcher.job;

/** The job left PENDING (cancelled, failed) while it was being planned: planning stops quietly. */
final class PlanningStopped extends RuntimeException {
  PlanningStopped(String jobId) {
    super("job " + jobId + " is no longer PENDING", null, false, false);
  }
}
