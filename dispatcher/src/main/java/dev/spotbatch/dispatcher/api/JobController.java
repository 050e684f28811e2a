package dev.spotbatch.dispatcher.api;

import dev.spotbatch.dispatcher.job.Job;
import dev.spotbatch.dispatcher.job.JobService;
import dev.spotbatch.dispatcher.job.JobStatus;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/jobs}: submit, read, list, cancel, failures, retry. */
@RestController
@RequestMapping("/api/v1/jobs")
public class JobController {
  static final int MAX_LIMIT = 1000;

  private final JobService jobs;

  public JobController(JobService jobs) {
    this.jobs = jobs;
  }

  @PostMapping
  public ResponseEntity<JobResponse> submit(@RequestBody JobRequest request) {
    Job job = jobs.submit(request.toSubmission());
    return ResponseEntity.created(URI.create("/api/v1/jobs/" + job.id()))
        .body(JobResponse.of(jobs.get(job.id())));
  }

  @GetMapping("/{id}")
  public JobResponse get(@PathVariable String id) {
    return JobResponse.of(jobs.get(id));
  }

  @GetMapping
  public Map<String, List<JobResponse>> list(
      @RequestParam(required = false) String status,
      @RequestParam(required = false, defaultValue = "50") int limit) {
    JobStatus s = null;
    if (status != null && !status.isBlank()) {
      try {
        s = JobStatus.valueOf(status.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new BadRequestException(
            "status",
            "unknown status '" + status + "'; use one of " + Arrays.toString(JobStatus.values()));
      }
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new BadRequestException(
          "limit", "limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
    }
    return Map.of(
        "jobs", jobs.list(s, limit).stream().map(j -> JobResponse.of(jobs.details(j))).toList());
  }

  @PostMapping("/{id}/cancel")
  public JobResponse cancel(@PathVariable String id) {
    jobs.cancel(id);
    return JobResponse.of(jobs.get(id));
  }

  @GetMapping("/{id}/failures")
  public Map<String, Object> failures(@PathVariable String id) {
    return Map.of(
        "jobId", id, "failures", jobs.failures(id).stream().map(FailureResponse::of).toList());
  }

  @PostMapping("/{id}/retry")
  public JobResponse retry(@PathVariable String id) {
    jobs.retry(id);
    return JobResponse.of(jobs.get(id));
  }
}
