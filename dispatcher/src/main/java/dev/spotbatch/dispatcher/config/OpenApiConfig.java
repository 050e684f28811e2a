package dev.spotbatch.dispatcher.config;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI description served at {@code /v3/api-docs} (Swagger UI at {@code /swagger-ui.html}):
 * the API's title and version, the bearer-token scheme, the RFC 9457 {@code Problem} schema, one
 * named example per problem the API answers, and the errors any call can meet (500, 503) added to
 * every operation. The controllers' annotations document each endpoint and its own errors, whose
 * examples refer to the ones named here ({@code #/components/examples/<name>}).
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfig {
  /** The schema every error body follows. */
  public static final String PROBLEM = "Problem";

  static final String PROBLEM_JSON = "application/problem+json";
  private static final String TYPES = "https://spotbatch.dev/problems/";

  @Bean
  OpenAPI spotbatchOpenApi() {
    Components components =
        new Components()
            .addSecuritySchemes(
                "bearer",
                new SecurityScheme()
                    .type(SecurityScheme.Type.HTTP)
                    .scheme("bearer")
                    .description(
                        "An API token: `Authorization: Bearer <token>`. The embedded default"
                            + " keeps its token in `<data-dir>/api-token`."))
            .addSchemas(PROBLEM, problemSchema());
    examples().forEach(components::addExamples);
    return new OpenAPI()
        .info(
            new Info()
                .title("spotbatch API")
                .version("v1")
                .description(
                    "Batch inference on spot capacity: submit jobs, follow them, read their"
                        + " failures, retry or cancel them, and look at the fleet. Every error"
                        + " is RFC 9457 `application/problem+json` with a `detail` that says what"
                        + " to fix; validation errors add `errors: [{field, message}]`. The"
                        + " command-line client `spotbatch` speaks this API.")
                .license(new License().name("Apache-2.0")))
        .components(components)
        .addSecurityItem(new SecurityRequirement().addList("bearer"));
  }

  /** 500 and 503 can answer any call: added to every {@code /api/} operation. */
  @Bean
  OpenApiCustomizer spotbatchCommonErrors() {
    return api ->
        api.getPaths()
            .forEach(
                (path, item) -> {
                  if (path.startsWith("/api/")) {
                    for (Operation op : operations(item)) {
                      ApiResponses responses = op.getResponses();
                      responses.putIfAbsent(
                          "500",
                          problem("An unexpected failure; the dispatcher logs it", "internal"));
                      responses.putIfAbsent(
                          "503",
                          problem(
                              "Storage or queue unavailable for a moment; try again",
                              "unavailable"));
                    }
                  }
                });
  }

  private static Iterable<Operation> operations(PathItem item) {
    return item.readOperations();
  }

  private static ApiResponse problem(String description, String example) {
    MediaType media =
        new MediaType()
            .schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))
            .addExamples(example, new Example().$ref("#/components/examples/" + example));
    return new ApiResponse()
        .description(description)
        .content(new Content().addMediaType(PROBLEM_JSON, media));
  }

  @SuppressWarnings("rawtypes")
  private static Schema problemSchema() {
    Schema<?> error =
        new ObjectSchema()
            .addProperty("field", new StringSchema().example("output.uri"))
            .addProperty(
                "message",
                new StringSchema().example("output.uri is required, e.g. file:///data/out/"));
    return new ObjectSchema()
        .description("An RFC 9457 problem detail (application/problem+json)")
        .addProperty("type", new StringSchema().format("uri").example(TYPES + "invalid-job"))
        .addProperty("title", new StringSchema().example("The job request is invalid"))
        .addProperty("status", new IntegerSchema().example(400))
        .addProperty("detail", new StringSchema().description("what happened and what to do"))
        .addProperty("instance", new StringSchema().format("uri-reference"))
        .addProperty(
            "errors",
            new ArraySchema()
                .items(error)
                .description("validation problems, one per field (400 only)"))
        .addProperty("jobId", new StringSchema().description("the job, on job-not-found"))
        .addProperty("workerId", new StringSchema().description("the worker, on worker problems"));
  }

  /** One example per problem type the API answers; names are referenced by the controllers. */
  private static Map<String, Example> examples() {
    Map<String, Example> out = new LinkedHashMap<>();
    out.put(
        "invalid-job",
        example(
            400,
            "invalid-job",
            "The job request is invalid",
            "1 problem: model: unknown model 'gpt-4'; known models: [all-minilm-l6-v2]",
            Map.of(
                "errors",
                new Object[] {
                  Map.of(
                      "field",
                      "model",
                      "message",
                      "unknown model 'gpt-4'; known models: [all-minilm-l6-v2]")
                })));
    out.put(
        "invalid-estimate",
        example(
            400,
            "invalid-estimate",
            "The estimate request is invalid",
            "recordsPerSecondPerWorker: recordsPerSecondPerWorker must be > 0 (one worker's"
                + " measured throughput)",
            Map.of(
                "errors",
                new Object[] {
                  Map.of(
                      "field",
                      "recordsPerSecondPerWorker",
                      "message",
                      "recordsPerSecondPerWorker must be > 0 (one worker's measured throughput)")
                })));
    out.put(
        "malformed-json",
        example(
            400,
            "malformed-json",
            "The request body is not valid JSON for a job",
            "malformed JSON at field 'itemBytes' (line 1, column 14): Cannot deserialize value of"
                + " type `java.lang.Long` from String \"lots\"",
            Map.of()));
    out.put(
        "bad-request",
        example(
            400,
            "bad-request",
            "Bad request parameter",
            "unknown status 'DONE'; use one of [PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED]",
            Map.of(
                "errors",
                new Object[] {
                  Map.of(
                      "field",
                      "status",
                      "message",
                      "unknown status 'DONE'; use one of [PENDING, RUNNING, SUCCEEDED, FAILED,"
                          + " CANCELLED]")
                })));
    out.put(
        "job-not-found",
        example(
            404,
            "job-not-found",
            "No such job",
            "no job has id 'f3a1'; list jobs with GET /api/v1/jobs",
            Map.of("jobId", "f3a1")));
    out.put(
        "job-state",
        example(
            409,
            "job-state",
            "The job is not in a state that allows this",
            "job f3a1 is already SUCCEEDED and cannot be cancelled; only PENDING or RUNNING jobs can",
            Map.of()));
    out.put(
        "worker-not-found",
        example(
            404,
            "worker-not-found",
            "No such worker",
            "no worker 'local-9'; the workers are [local-1, local-2] (GET /api/v1/fleet)",
            Map.of("workerId", "local-9")));
    out.put(
        "worker-not-interruptible",
        example(
            409,
            "worker-not-interruptible",
            "The worker cannot be interrupted now",
            "worker local-1 has no running process now; wait for its replacement",
            Map.of("workerId", "local-1")));
    out.put(
        "internal",
        example(
            500,
            "internal",
            "Internal error",
            "the dispatcher failed unexpectedly (NullPointerException); see its log, and report"
                + " it if it persists",
            Map.of()));
    out.put(
        "unavailable",
        example(
            503,
            "unavailable",
            "Storage or queue unavailable",
            "the work queue did not answer; try again shortly",
            Map.of()));
    return out;
  }

  private static Example example(
      int status, String type, String title, String detail, Map<String, Object> extra) {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("type", TYPES + type);
    value.put("title", title);
    value.put("status", status);
    value.put("detail", detail);
    value.putAll(extra);
    return new Example().summary(title).value(value);
  }
}
