package dev.spotbatch.dispatcher.api;

import static dev.spotbatch.dispatcher.api.ProblemHandler.EXAMPLES_REF;
import static dev.spotbatch.dispatcher.api.ProblemHandler.MEDIA_TYPE;
import static dev.spotbatch.dispatcher.api.ProblemHandler.SCHEMA_REF;

import dev.spotbatch.dispatcher.sim.EstimateException;
import dev.spotbatch.dispatcher.sim.Estimator;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/estimates}: what a job would cost and take on-demand, on spot, mixed and on a
 * budget provider, simulated over several seeds; which to choose and why.
 */
@RestController
@Tag(name = "estimates", description = "The cost calculator: does spot pay for this job?")
public class EstimateController {
  private final Estimator estimator;

  public EstimateController(Estimator estimator) {
    this.estimator = estimator;
  }

  @PostMapping("/api/v1/estimates")
  @Operation(
      summary = "Estimate a job's cost",
      description =
          "Simulates the job in the spot-market simulator (the real autoscaler and drain planner"
              + " against a market built from the built-in scenario of the same instance type,"
              + " priced from the price book) for each strategy over several seeds, and answers"
              + " each one's mean cost, makespan, wasted work and interruptions with their spread,"
              + " a recommendation that says when on-demand is the better choice, and the"
              + " assumptions. Needs the 'jobs' role.")
  @ApiResponse(
      responseCode = "200",
      description = "The options, the recommendation, the assumptions")
  @ApiResponse(
      responseCode = "400",
      description =
          "A field is missing or out of range (named in `errors`), or the body is not JSON",
      content =
          @Content(
              mediaType = MEDIA_TYPE,
              schema = @Schema(ref = SCHEMA_REF),
              examples = {
                @ExampleObject(name = "invalid-estimate", ref = EXAMPLES_REF + "invalid-estimate"),
                @ExampleObject(name = "malformed-json", ref = EXAMPLES_REF + "malformed-json")
              }))
  public EstimateResponse estimate(@RequestBody EstimateRequest request) {
    return EstimateResponse.of(
        estimator.estimate(request.toInput()), request.instanceType(), request.region());
  }

  @ExceptionHandler(EstimateException.class)
  ResponseEntity<ProblemDetail> invalid(EstimateException e) {
    ProblemDetail p =
        ProblemHandler.problem(
            HttpStatus.BAD_REQUEST,
            "invalid-estimate",
            "The estimate request is invalid",
            e.field() + ": " + e.getMessage());
    p.setProperty("errors", List.of(Map.of("field", e.field(), "message", e.getMessage())));
    return ProblemHandler.respond(p);
  }
}
