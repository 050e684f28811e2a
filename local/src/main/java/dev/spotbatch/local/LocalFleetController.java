package dev.spotbatch.local;

import dev.spotbatch.dispatcher.api.BadRequestException;
import dev.spotbatch.dispatcher.api.ProblemHandler;
import dev.spotbatch.dispatcher.fleet.InterruptKind;
import dev.spotbatch.dispatcher.fleet.Interruption;
import dev.spotbatch.dispatcher.fleet.local.FleetExceptions.UnknownWorkerException;
import dev.spotbatch.dispatcher.fleet.local.FleetExceptions.WorkerNotInterruptibleException;
import dev.spotbatch.dispatcher.fleet.local.LocalProcessFleet;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST
 * /api/v1/fleet/workers/{id}/interrupt?kind=spot|rebalance|lifecycle|sigterm|kill&deadlineSeconds=N}:
 * takes a local worker away the way a cloud would. Registered only with the local fleet.
 */
@RestController
@Tag(name = "fleet", description = "The workers, and interruptions of the local fleet")
public class LocalFleetController {
  static final long MAX_DEADLINE_SECONDS = 3600;
  private static final String PROBLEM = ProblemHandler.MEDIA_TYPE;
  private static final String PROBLEM_SCHEMA = ProblemHandler.SCHEMA_REF;
  private static final String EXAMPLES = ProblemHandler.EXAMPLES_REF;
  private static final String INTERRUPT_EXAMPLE =
      "{\"workerId\":\"local-1\",\"instanceId\":\"i-0local1\",\"kind\":\"spot\","
          + "\"requestedAt\":\"2026-12-01T10:05:00Z\",\"deadline\":\"2026-12-01T10:07:00Z\"}";

  private final LocalProcessFleet fleet;

  public LocalFleetController(LocalProcessFleet fleet) {
    this.fleet = fleet;
  }

  @PostMapping("/api/v1/fleet/workers/{id}/interrupt")
  @Operation(
      summary = "Interrupt a local worker",
      description =
          "Delivers a termination notice to a worker of the local fleet exactly as its provider"
              + " would: a spot instance-action, a rebalance recommendation or an Auto Scaling"
              + " lifecycle change on its metadata endpoint, a SIGTERM, or a kill. A worker still"
              + " alive at its deadline is killed; lost workers are replaced.")
  @ApiResponse(
      responseCode = "202",
      description = "The notice is delivered; the worker drains",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(type = "object"),
              examples = @ExampleObject(name = "spot", value = INTERRUPT_EXAMPLE)))
  @ApiResponse(
      responseCode = "400",
      description = "A missing or unknown kind, or a deadline out of range",
      content =
          @Content(
              mediaType = PROBLEM,
              schema = @Schema(ref = PROBLEM_SCHEMA),
              examples = @ExampleObject(name = "bad-request", ref = EXAMPLES + "bad-request")))
  @ApiResponse(
      responseCode = "404",
      description = "No worker has this id",
      content =
          @Content(
              mediaType = PROBLEM,
              schema = @Schema(ref = PROBLEM_SCHEMA),
              examples =
                  @ExampleObject(name = "worker-not-found", ref = EXAMPLES + "worker-not-found")))
  @ApiResponse(
      responseCode = "409",
      description = "The worker has no process to interrupt now",
      content =
          @Content(
              mediaType = PROBLEM,
              schema = @Schema(ref = PROBLEM_SCHEMA),
              examples =
                  @ExampleObject(
                      name = "worker-not-interruptible",
                      ref = EXAMPLES + "worker-not-interruptible")))
  public ResponseEntity<Map<String, Object>> interrupt(
      @Parameter(description = "the worker's id, e.g. local-1") @PathVariable("id") String id,
      @Parameter(
              description = "the notice to deliver",
              schema =
                  @Schema(allowableValues = {"spot", "rebalance", "lifecycle", "sigterm", "kill"}))
          @RequestParam(name = "kind", required = false)
          String kind,
      @Parameter(
              description =
                  "seconds until the deadline, 1 to 3600 (defaults: spot 120, lifecycle 120,"
                      + " sigterm 30)")
          @RequestParam(name = "deadlineSeconds", required = false)
          String deadlineSeconds) {
    InterruptKind k = kind(kind);
    Interruption i = fleet.interrupt(id, k, deadline(deadlineSeconds));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("workerId", i.workerId());
    body.put("instanceId", i.instanceId());
    body.put("kind", k.apiName());
    body.put("requestedAt", i.requestedAt());
    body.put("deadline", i.deadline());
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(body);
  }

  private static InterruptKind kind(String kind) {
    if (kind == null || kind.isBlank()) {
      throw new BadRequestException(
          "kind",
          "kind is required: one of "
              + InterruptKind.allowed()
              + " (e.g. ?kind=spot&deadlineSeconds=120)");
    }
    return InterruptKind.parse(kind)
        .orElseThrow(
            () ->
                new BadRequestException(
                    "kind", "unknown kind '" + kind + "': use one of " + InterruptKind.allowed()));
  }

  /** The requested deadline; null for the kind's default. */
  private static Duration deadline(String deadlineSeconds) {
    if (deadlineSeconds == null || deadlineSeconds.isBlank()) {
      return null;
    }
    long s;
    try {
      s = Long.parseLong(deadlineSeconds.trim());
    } catch (NumberFormatException e) {
      s = -1;
    }
    if (s < 1 || s > MAX_DEADLINE_SECONDS) {
      throw new BadRequestException(
          "deadlineSeconds",
          "deadlineSeconds must be a whole number of seconds from 1 to "
              + MAX_DEADLINE_SECONDS
              + ", was '"
              + deadlineSeconds
              + "' (defaults: spot 120, lifecycle 120, sigterm 30)");
    }
    return Duration.ofSeconds(s);
  }

  @ExceptionHandler(UnknownWorkerException.class)
  ResponseEntity<ProblemDetail> unknownWorker(UnknownWorkerException e) {
    ProblemDetail p =
        ProblemHandler.problem(
            HttpStatus.NOT_FOUND, "worker-not-found", "No such worker", e.getMessage());
    p.setProperty("workerId", e.workerId());
    return ProblemHandler.respond(p);
  }

  @ExceptionHandler(WorkerNotInterruptibleException.class)
  ResponseEntity<ProblemDetail> notInterruptible(WorkerNotInterruptibleException e) {
    ProblemDetail p =
        ProblemHandler.problem(
            HttpStatus.CONFLICT,
            "worker-not-interruptible",
            "The worker cannot be interrupted now",
            e.getMessage());
    p.setProperty("workerId", e.workerId());
    return ProblemHandler.respond(p);
  }
}
