package dev.spotbatch.dispatcher.api;

import dev.spotbatch.dispatcher.fleet.CapacityProvider;
import dev.spotbatch.dispatcher.fleet.DrainReports;
import dev.spotbatch.dispatcher.fleet.FleetExceptions.UnknownWorkerException;
import dev.spotbatch.dispatcher.fleet.FleetExceptions.WorkerNotInterruptibleException;
import dev.spotbatch.dispatcher.fleet.InterruptKind;
import dev.spotbatch.dispatcher.fleet.Interruption;
import dev.spotbatch.dispatcher.fleet.LocalProcessFleet;
import dev.spotbatch.dispatcher.fleet.WorkerView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/fleet}: the workers (state, process, instance facts, metadata endpoint,
 * leases, last drain, history) and the desired/actual counts; with the local fleet also {@code POST
 * /api/v1/fleet/workers/{id}/interrupt?kind=spot|rebalance|lifecycle|sigterm|kill&deadlineSeconds=N}.
 */
@RestController
@Tag(name = "fleet", description = "The workers, and interruptions of the local fleet")
public class FleetController {
  static final long MAX_DEADLINE_SECONDS = 3600;
  private static final String PROBLEM = ProblemHandler.MEDIA_TYPE;
  private static final String PROBLEM_SCHEMA = ProblemHandler.SCHEMA_REF;
  private static final String EXAMPLES = ProblemHandler.EXAMPLES_REF;
  private static final String FLEET_EXAMPLE =
      "{\"provider\":\"LocalProcessFleet\",\"desired\":2,\"actual\":2,\"workers\":[{\"id\":"
          + "\"local-1\",\"state\":\"RUNNING\",\"pid\":4242,\"startedAt\":"
          + "\"2026-12-01T10:00:00Z\",\"generation\":1,\"instance\":{\"provider\":\"aws\","
          + "\"instanceId\":\"i-0local1\",\"instanceType\":\"m5.large\",\"region\":"
          + "\"us-east-1\",\"zone\":\"us-east-1a\",\"lifecycle\":\"SPOT\"},"
          + "\"metadataEndpoint\":\"http://127.0.0.1:41231\",\"managementPort\":41232,"
          + "\"activeLeases\":2,\"leases\":[],\"interruption\":null,\"lastDrain\":null,"
          + "\"lastDrainPhase\":null,\"restarts\":0,\"history\":[]}],\"interruptions\":"
          + "{\"spot\":0,\"rebalance\":0,\"lifecycle\":0,\"sigterm\":0,\"kill\":0}}";
  private static final String INTERRUPT_EXAMPLE =
      "{\"workerId\":\"local-1\",\"instanceId\":\"i-0local1\",\"kind\":\"spot\","
          + "\"requestedAt\":\"2026-12-01T10:05:00Z\",\"deadline\":\"2026-12-01T10:07:00Z\"}";

  private final ObjectProvider<CapacityProvider> capacity;
  private final ObjectProvider<LocalProcessFleet> local;
  private final ObjectProvider<DrainReports> drains;

  public FleetController(
      ObjectProvider<CapacityProvider> capacity,
      ObjectProvider<LocalProcessFleet> local,
      ObjectProvider<DrainReports> drains) {
    this.capacity = capacity;
    this.local = local;
    this.drains = drains;
  }

  @GetMapping("/api/v1/fleet")
  @Operation(
      summary = "Show the fleet",
      description =
          "The capacity provider, desired and actual worker counts, and each worker: state,"
              + " process, instance facts (as its metadata endpoint serves them), leases, pending"
              + " interruption, last drain report and past processes; with the local fleet also"
              + " interruption counts by kind.")
  @ApiResponse(
      responseCode = "200",
      description = "The fleet",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(type = "object"),
              examples = @ExampleObject(name = "local-fleet", value = FLEET_EXAMPLE)))
  public Map<String, Object> fleet() {
    CapacityProvider c = capacity.getIfAvailable();
    Map<String, Object> out = new LinkedHashMap<>();
    if (c == null) {
      out.put("provider", "none");
      out.put("desired", 0);
      out.put("actual", 0);
      out.put("workers", List.of());
      return out;
    }
    LocalProcessFleet fleet = c instanceof LocalProcessFleet ? (LocalProcessFleet) c : null;
    if (fleet != null) {
      fleet.refreshHealth();
    }
    List<WorkerView> workers = c.workers();
    DrainReports reports = drains.getIfAvailable();
    List<Map<String, Object>> list = new ArrayList<>();
    for (WorkerView w : workers) {
      list.add(worker(w, reports));
    }
    out.put("provider", c.getClass().getSimpleName());
    out.put("desired", c.desired());
    out.put("actual", workers.stream().filter(WorkerView::alive).count());
    out.put("workers", list);
    if (fleet != null) {
      out.put("interruptions", fleet.interruptionCounts());
    }
    return out;
  }

  private static Map<String, Object> worker(WorkerView w, DrainReports reports) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", w.id());
    m.put("state", w.state());
    m.put("pid", w.pid());
    m.put("startedAt", w.startedAt());
    m.put("generation", w.generation());
    m.put("instance", w.instance());
    m.put("metadataEndpoint", w.metadataEndpoint());
    m.put("managementPort", w.managementPort());
    m.put("activeLeases", w.activeLeases());
    m.put("leases", w.leases() == null ? List.of() : w.leases());
    m.put("interruption", w.interruption());
    m.put(
        "lastDrain",
        reports == null
            ? null
            : reports.latest(w.id()).map(DrainReports.WorkerDrain::report).orElse(null));
    m.put(
        "lastDrainPhase",
        reports == null
            ? null
            : reports.latest(w.id()).map(DrainReports.WorkerDrain::phase).orElse(null));
    m.put("restarts", w.restarts());
    m.put("history", w.history());
    return m;
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
      description = "The worker has no process to interrupt now, or the local fleet is off",
      content =
          @Content(
              mediaType = PROBLEM,
              schema = @Schema(ref = PROBLEM_SCHEMA),
              examples = {
                @ExampleObject(
                    name = "worker-not-interruptible",
                    ref = EXAMPLES + "worker-not-interruptible"),
                @ExampleObject(name = "local-fleet-off", ref = EXAMPLES + "local-fleet-off")
              }))
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
    LocalProcessFleet fleet = local.getIfAvailable();
    if (fleet == null) {
      throw new LocalFleetOffException();
    }
    if (kind == null || kind.isBlank()) {
      throw new BadRequestException(
          "kind",
          "kind is required: one of "
              + InterruptKind.allowed()
              + " (e.g. ?kind=spot&deadlineSeconds=120)");
    }
    InterruptKind k =
        InterruptKind.parse(kind)
            .orElseThrow(
                () ->
                    new BadRequestException(
                        "kind",
                        "unknown kind '" + kind + "': use one of " + InterruptKind.allowed()));
    Duration deadline = null;
    if (deadlineSeconds != null && !deadlineSeconds.isBlank()) {
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
      deadline = Duration.ofSeconds(s);
    }
    Interruption i = fleet.interrupt(id, k, deadline);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("workerId", i.workerId());
    body.put("instanceId", i.instanceId());
    body.put("kind", k.apiName());
    body.put("requestedAt", i.requestedAt());
    body.put("deadline", i.deadline());
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(body);
  }

  /** The interrupt API needs the local process fleet. */
  static final class LocalFleetOffException extends RuntimeException {
    LocalFleetOffException() {
      super(
          "the local fleet is off, so there is nothing to interrupt; start the dispatcher with"
              + " spotbatch.fleet.local.workers > 0 (./run-local.sh does)");
    }
  }

  @ExceptionHandler(LocalFleetOffException.class)
  ResponseEntity<ProblemDetail> localFleetOff(LocalFleetOffException e) {
    return problem(
        HttpStatus.CONFLICT, "local-fleet-off", "The local fleet is off", e.getMessage(), null);
  }

  @ExceptionHandler(UnknownWorkerException.class)
  ResponseEntity<ProblemDetail> unknownWorker(UnknownWorkerException e) {
    return problem(
        HttpStatus.NOT_FOUND, "worker-not-found", "No such worker", e.getMessage(), e.workerId());
  }

  @ExceptionHandler(WorkerNotInterruptibleException.class)
  ResponseEntity<ProblemDetail> notInterruptible(WorkerNotInterruptibleException e) {
    return problem(
        HttpStatus.CONFLICT,
        "worker-not-interruptible",
        "The worker cannot be interrupted now",
        e.getMessage(),
        e.workerId());
  }

  private static ResponseEntity<ProblemDetail> problem(
      HttpStatus status, String type, String title, String detail, String workerId) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
    p.setType(URI.create(ProblemHandler.TYPE_BASE + type));
    p.setTitle(title);
    if (workerId != null) {
      p.setProperty("workerId", workerId);
    }
    return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
  }
}
