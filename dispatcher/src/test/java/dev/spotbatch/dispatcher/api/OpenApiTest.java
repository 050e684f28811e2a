package dev.spotbatch.dispatcher.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAPI description at {@code /v3/api-docs} matches the controllers: every endpoint Spring
 * maps is described (and nothing else), every error is problem+json with an example that the real
 * handler's answer agrees with, and the job schemas have exactly the records' fields.
 */
@SpringBootTest
@AutoConfigureMockMvc
@Import(BearerFromTokenFile.class)
class OpenApiTest {
  static final Path DATA;
  static final JsonMapper JSON = JsonMapper.builder().build();

  static {
    try {
      DATA = Files.createTempDirectory("spotbatch-openapi").toRealPath();
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry r) {
    r.add("spotbatch.data-dir", DATA::toString);
    r.add("spotbatch.queue.type", () -> "memory");
    r.add("spring.datasource.url", () -> "jdbc:h2:mem:openapi-test;DB_CLOSE_DELAY=-1");
    r.add("spring.cloud.aws.region.static", () -> "us-east-1");
    r.add("spring.cloud.aws.credentials.access-key", () -> "test");
    r.add("spring.cloud.aws.credentials.secret-key", () -> "test");
    r.add("spring.cloud.aws.s3.enabled", () -> "false");
    // the embedded default's token file, which every request sends (BearerFromTokenFile)
    r.add("spotbatch.security.local-token", () -> "true");
  }

  @Autowired MockMvc mvc;

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mappings;

  JsonNode doc;

  @BeforeEach
  void readTheDescription() throws Exception {
    String body =
        mvc.perform(get("/v3/api-docs"))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    doc = JSON.readTree(body);
    // kept for people and tools (e.g. client generators) to look at
    Files.writeString(Path.of("target", "openapi.json"), body);
  }

  /** "GET /api/v1/jobs/{id}" for every method and pattern of our own controllers. */
  Set<String> mappedEndpoints() {
    Set<String> out = new TreeSet<>();
    for (Map.Entry<RequestMappingInfo, HandlerMethod> e : mappings.getHandlerMethods().entrySet()) {
      if (!e.getValue().getBeanType().getPackageName().startsWith("dev.spotbatch")) {
        continue; // springdoc's and Boot's own controllers
      }
      RequestMappingInfo info = e.getKey();
      assertThat(info.getMethodsCondition().getMethods())
          .as("%s maps every HTTP method; give it one", e.getValue())
          .isNotEmpty();
      for (String pattern : info.getPatternValues()) {
        info.getMethodsCondition().getMethods().forEach(m -> out.add(m.name() + " " + pattern));
      }
    }
    return out;
  }

  Set<String> describedEndpoints() {
    Set<String> out = new TreeSet<>();
    for (Map.Entry<String, JsonNode> path : doc.path("paths").properties()) {
      for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
        out.add(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
      }
    }
    return out;
  }

  JsonNode operation(String endpoint) {
    String[] parts = endpoint.split(" ", 2);
    return doc.path("paths").path(parts[1]).path(parts[0].toLowerCase(Locale.ROOT));
  }

  @Test
  void everyEndpointTheControllersMapIsDescribedAndNothingElse() {
    Set<String> mapped = mappedEndpoints();
    assertThat(mapped).contains("POST /api/v1/jobs", "GET /api/v1/jobs/{id}", "GET /api/v1/fleet");
    assertThat(describedEndpoints()).isEqualTo(mapped);
    for (String endpoint : mapped) {
      JsonNode op = operation(endpoint);
      assertThat(op.path("summary").asString()).as(endpoint + " summary").isNotBlank();
      assertThat(op.path("description").asString()).as(endpoint + " description").isNotBlank();
      assertThat(op.path("tags").isEmpty()).as(endpoint + " tags").isFalse();
    }
  }

  @Test
  void everyErrorIsProblemJsonWithAnExampleOfItsStatus() {
    for (String endpoint : mappedEndpoints()) {
      JsonNode responses = operation(endpoint).path("responses");
      assertThat(responses.has("500")).as(endpoint + " 500").isTrue();
      assertThat(responses.has("503")).as(endpoint + " 503").isTrue();
      if (endpoint.contains("{id}")) {
        assertThat(responses.has("404")).as(endpoint + " 404 for an unknown id").isTrue();
      }
      boolean success = false;
      for (Map.Entry<String, JsonNode> r : responses.properties()) {
        int code = Integer.parseInt(r.getKey());
        if (code < 400) {
          success = true;
          continue;
        }
        String what = endpoint + " " + code;
        JsonNode media = r.getValue().path("content").path("application/problem+json");
        assertThat(media.isMissingNode()).as(what + " is problem+json").isFalse();
        assertThat(media.path("schema").path("$ref").asString())
            .as(what)
            .isEqualTo("#/components/schemas/Problem");
        assertThat(media.path("examples").isEmpty()).as(what + " has examples").isFalse();
        for (JsonNode example : media.path("examples")) {
          JsonNode value = resolve(example).path("value");
          assertThat(value.path("status").asInt()).as(what + " example status").isEqualTo(code);
          assertThat(value.path("type").asString()).startsWith("https://spotbatch.dev/problems/");
          assertThat(value.path("title").asString()).isNotBlank();
          assertThat(value.path("detail").asString()).isNotBlank();
        }
      }
      assertThat(success).as(endpoint + " documents its success").isTrue();
    }
  }

  JsonNode resolve(JsonNode node) {
    String ref = node.path("$ref").asString(null);
    if (ref == null) {
      return node;
    }
    assertThat(ref).startsWith("#/");
    JsonNode target = doc;
    for (String part : ref.substring(2).split("/")) {
      target = target.path(part);
    }
    assertThat(target.isMissingNode()).as("%s resolves", ref).isFalse();
    return target;
  }

  @Test
  void theJobSchemasHaveExactlyTheFieldsOfTheRecords() {
    JsonNode schemas = doc.path("components").path("schemas");
    assertThat(propertiesOf(schemas.path("Job"))).isEqualTo(fieldsOf(JobResponse.class));
    assertThat(propertiesOf(schemas.path("JobItems"))).isEqualTo(fieldsOf(JobResponse.Items.class));
    assertThat(propertiesOf(schemas.path("JobRecords")))
        .isEqualTo(fieldsOf(JobResponse.Records.class));
    assertThat(propertiesOf(schemas.path("JobOutput")))
        .isEqualTo(fieldsOf(JobResponse.Output.class));
    assertThat(propertiesOf(schemas.path("JobCost"))).isEqualTo(fieldsOf(JobResponse.Cost.class));
    assertThat(propertiesOf(schemas.path("JobRequest"))).isEqualTo(fieldsOf(JobRequest.class));
    assertThat(propertiesOf(schemas.path("JobInput"))).isEqualTo(fieldsOf(JobRequest.Input.class));
    assertThat(propertiesOf(schemas.path("Failure"))).isEqualTo(fieldsOf(FailureResponse.class));
    // the model is needed unless the tasks use none (chunk alone): the service says so
    assertThat(schemas.path("JobRequest").path("required").toString()).contains("output");
    assertThat(propertiesOf(schemas.path("JobModel"))).isEqualTo(fieldsOf(ModelChoice.class));
    assertThat(propertiesOf(schemas.path("JobTaskOptions")))
        .isEqualTo(fieldsOf(TaskOptionsRequest.class));
    assertThat(propertiesOf(schemas.path("ChunkOptions")))
        .isEqualTo(fieldsOf(TaskOptionsRequest.Chunk.class));
    assertThat(propertiesOf(schemas.path("CleanOptions")))
        .isEqualTo(fieldsOf(TaskOptionsRequest.Clean.class));
    assertThat(propertiesOf(schemas.path("ScoreOptions")))
        .isEqualTo(fieldsOf(TaskOptionsRequest.Scores.class));
    // the model is a name (string) or an object
    assertThat(schemas.path("JobRequest").path("properties").path("model").toString())
        .contains("\"string\"", "#/components/schemas/JobModel");
    assertThat(
            schemas.path("JobRequest").path("properties").path("deadline").path("format").asText())
        .isEqualTo("date-time");

    assertThat(jsonRef(operation("GET /api/v1/jobs/{id}").path("responses").path("200")))
        .isEqualTo("#/components/schemas/Job");
    assertThat(jsonRef(operation("POST /api/v1/jobs").path("responses").path("201")))
        .isEqualTo("#/components/schemas/Job");
    assertThat(jsonRef(operation("POST /api/v1/jobs").path("requestBody")))
        .isEqualTo("#/components/schemas/JobRequest");
    assertThat(
            resolve(
                    doc.path("components")
                        .path("schemas")
                        .path("JobList")
                        .path("properties")
                        .path("jobs")
                        .path("items"))
                .path("properties")
                .has("status"))
        .isTrue();
  }

  @Test
  void theEstimateSchemasHaveExactlyTheFieldsOfTheRecords() {
    JsonNode schemas = doc.path("components").path("schemas");
    assertThat(propertiesOf(schemas.path("EstimateRequest")))
        .isEqualTo(fieldsOf(EstimateRequest.class));
    assertThat(schemas.path("EstimateRequest").path("required").toString())
        .contains("records", "recordsPerSecondPerWorker", "instanceType", "region");
    assertThat(propertiesOf(schemas.path("Estimate"))).isEqualTo(fieldsOf(EstimateResponse.class));
    assertThat(propertiesOf(schemas.path("EstimateOption")))
        .isEqualTo(fieldsOf(EstimateResponse.Option.class));
    assertThat(propertiesOf(schemas.path("EstimateAssumptions")))
        .isEqualTo(fieldsOf(EstimateResponse.Assumptions.class));
    assertThat(jsonRef(operation("POST /api/v1/estimates").path("requestBody")))
        .isEqualTo("#/components/schemas/EstimateRequest");
    assertThat(jsonRef(operation("POST /api/v1/estimates").path("responses").path("200")))
        .isEqualTo("#/components/schemas/Estimate");
  }

  static String jsonRef(JsonNode withContent) {
    return withContent
        .path("content")
        .path("application/json")
        .path("schema")
        .path("$ref")
        .asString();
  }

  static Set<String> propertiesOf(JsonNode schema) {
    assertThat(schema.isMissingNode()).as("schema exists").isFalse();
    return new TreeSet<>(schema.path("properties").propertyNames());
  }

  static Set<String> fieldsOf(Class<? extends Record> type) {
    Set<String> out = new TreeSet<>();
    Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).forEach(out::add);
    return out;
  }

  @Test
  void theProblemExamplesAgreeWithWhatTheHandlersAnswer() throws Exception {
    List<Object[]> cases = new ArrayList<>();
    cases.add(new Object[] {"job-not-found", get("/api/v1/jobs/no-such-job")});
    cases.add(new Object[] {"bad-request", get("/api/v1/jobs?status=DONE")});
    cases.add(
        new Object[] {
          "invalid-job",
          post("/api/v1/jobs")
              .contentType(MediaType.APPLICATION_JSON)
              .content("{\"model\":\"gpt-4\",\"records\":[],\"output\":{\"uri\":\"file:///x/\"}}")
        });
    cases.add(
        new Object[] {
          "invalid-estimate",
          post("/api/v1/estimates")
              .contentType(MediaType.APPLICATION_JSON)
              .content(
                  "{\"records\":10,\"recordsPerSecondPerWorker\":0,"
                      + "\"instanceType\":\"p5.48xlarge\",\"region\":\"us-east-1\"}")
        });
    cases.add(
        new Object[] {
          "malformed-json",
          post("/api/v1/jobs").contentType(MediaType.APPLICATION_JSON).content("{\"model\":")
        });
    for (Object[] c : cases) {
      JsonNode example = doc.path("components").path("examples").path((String) c[0]).path("value");
      assertThat(example.isMissingNode()).as("example " + c[0]).isFalse();
      String body =
          mvc.perform((MockHttpServletRequestBuilder) c[1])
              .andReturn()
              .getResponse()
              .getContentAsString();
      JsonNode actual = JSON.readTree(body);
      assertThat(actual.path("type").asString())
          .as((String) c[0])
          .isEqualTo(example.path("type").asString());
      assertThat(actual.path("title").asString()).isEqualTo(example.path("title").asString());
      assertThat(actual.path("status").asInt()).isEqualTo(example.path("status").asInt());
    }
  }

  @Test
  void swaggerUiIsServed() throws Exception {
    mvc.perform(get("/swagger-ui.html")).andExpect(status().is3xxRedirection());
    String page =
        mvc.perform(get("/swagger-ui/index.html"))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(page).contains("Swagger UI");
    assertThat(doc.path("info").path("title").asString()).isEqualTo("spotbatch API");
    assertThat(
            doc.path("components").path("securitySchemes").path("bearer").path("scheme").asString())
        .isEqualTo("bearer");
  }
}
