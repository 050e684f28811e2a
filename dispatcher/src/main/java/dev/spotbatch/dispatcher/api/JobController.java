package dev.spotbatch.dispatcher.api;

import dev.spotbatch.dispatcher.fleet.JobDeferrals;
import dev.spotbatch.dispatcher.job.Job;
import dev.spotbatch.dispatcher.job.JobService;
import dev.spotbatch.dispatcher.job.JobStatus;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.springframework.beans.factory.ObjectProvider;
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
@Tag(name = "jobs", description = "Submit jobs, follow them, cancel or retry them")
public class JobController {
  static final int MAX_LIMIT = 1000;
  private static final String PROBLEM = ProblemHandler.MEDIA_TYPE;
  private static final String PROBLEM_SCHEMA = ProblemHandler.SCHEMA_REF;
  private static final String EXAMPLES = ProblemHandler.EXAMPLES_REF;

  private final JobService jobs;
  private final JobDeferrals deferrals;

  public JobController(JobService jobs, ObjectProvider<JobDeferrals> deferrals) {
    this.jobs = jobs;
    this.deferrals = deferrals.getIfAvailable(() -> JobDeferrals.NONE);
  }

  /** The answer of {@code GET /api/v1/jobs}. */
  public record JobList(List<JobResponse> jobs) {}

  /** The answer of {@code GET /api/v1/jobs/{id}/failures}. */
  public record FailureList(String jobId, List<FailureResponse> failures) {}

  @PostMapping
  @Operation(
      summary = "Submit a job",
      description =
          "Validates and stores the job, answers 201 with it, and plans its work items in the"
              + " background. Give `input` (JSONL object(s) by URI) or inline `records`, and an"
              + " `output` URI; both must lie under the allowed roots. An input that turns out to"
              + " be missing ends the job FAILED with the reason.")
  @ApiResponse(
      responseCode = "201",
      description = "Accepted; `Location` is the job's URL",
      headers = @Header(name = "Location", description = "/api/v1/jobs/{id}"))
  @ApiResponse(
      responseCode = "400",
      description = "The job is invalid (each field's problem in `errors`), or not JSON",
      content =
          @Content(
              mediaType = PROBLEM,
              schema = @Schema(ref = PROBLEM_SCHEMA),
              examples = {
                @ExampleObject(name = "invalid-job", ref = EXAMPLES + "invalid-job"),
                @ExampleObject(name = "malformed-json", ref = EXAMPLES + "malformed-json")
              }))
  public ResponseEntity<JobResponse> submit(@RequestBody JobRequest request) {
    Job job = jobs.submit(request.toSubmission());
    return ResponseEntity.created(URI.create("/api/v1/jobs/" + job.id()))
        .body(JobResponse.of(jobs.get(job.id())));
  }

  @GetMapping("/{id}")
  @Operation(
      summary = "Read a job",
      description = "Its status, item and record counts, output and manifest, and cost.")
  @ApiResponse(responseCode = "200", description = "The job")
  @JobNotFoundResponse
  public JobResponse get(@Parameter(description = "the job's id") @PathVariable String id) {
    return JobResponse.of(jobs.get(id), deferrals);
  }

  @GetMapping
  @Operation(summary = "List jobs", description = "Newest first, optionally of one status.")
  @ApiResponse(responseCode = "200", description = "The jobs")
  @ApiResponse(
      responseCode = "400",
      description = "An unknown status or a limit out of range",
      content =
          @Content(
              mediaType = PROBLEM,
              schema = @Schema(ref = PROBLEM_SCHEMA),
              examples = @ExampleObject(name = "bad-request", ref = EXAMPLES + "bad-request")))
  public JobList list(
      @Parameter(
              description = "only jobs in this state (any case)",
              schema =
                  @Schema(
                      allowableValues = {"PENDING", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"}))
          @RequestParam(required = false)
          String status,
      @Parameter(description = "at most this many, 1 to " + MAX_LIMIT)
          @RequestParam(required = false, defaultValue = "50")
          int limit) {
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
    return new JobList(
        jobs.list(s, limit).stream().map(j -> JobResponse.of(jobs.details(j), deferrals)).toList());
  }

  @PostMapping("/{id}/cancel")
  @Operation(
      summary = "Cancel a job",
      description =
          "A PENDING or RUNNING job becomes CANCELLED: queued items are acknowledged without"
              + " work, running ones stop at their next chunk.")
  @ApiResponse(responseCode = "200", description = "The cancelled job")
  @JobNotFoundResponse
  @JobStateResponse("The job has already ended")
  public JobResponse cancel(@Parameter(description = "the job's id") @PathVariable String id) {
    jobs.cancel(id);
    return JobResponse.of(jobs.get(id));
  }

  @GetMapping("/{id}/failures")
  @Operation(
      summary = "List a job's failures",
      description = "Every reported item failure with its reason, attempts and worker.")
  @ApiResponse(responseCode = "200", description = "The failures, oldest first")
  @JobNotFoundResponse
  public FailureList failures(@Parameter(description = "the job's id") @PathVariable String id) {
    return new FailureList(id, jobs.failures(id).stream().map(FailureResponse::of).toList());
  }

  @PostMapping("/{id}/retry")
  @Operation(
      summary = "Retry a failed job",
      description =
          "Runs the failed items of a FAILED job again (with fresh attempts); the job becomes"
              + " RUNNING.")
  @ApiResponse(responseCode = "200", description = "The job, running again")
  @JobNotFoundResponse
  @JobStateResponse("The job is not FAILED")
  public JobResponse retry(@Parameter(description = "the job's id") @PathVariable String id) {
    jobs.retry(id);
    return JobResponse.of(jobs.get(id));
  }
}
