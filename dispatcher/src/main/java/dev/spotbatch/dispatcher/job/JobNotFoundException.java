package dev.spotbatch.dispatcher.job;

/** No job has this id. */
public class JobNotFoundException extends RuntimeException {
  private final String jobId;

  public JobNotFoundException(String jobId) {
    super("no job has id '" + jobId + "'; list jobs with GET /api/v1/jobs");
    this.jobId = jobId;
  }

  public String jobId() {
    return jobId;
  }
}
