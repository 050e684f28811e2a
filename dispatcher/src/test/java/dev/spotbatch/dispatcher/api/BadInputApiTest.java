package dev.spotbatch.dispatcher.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * Bad input of every kind a user or an attacker sends: each is answered with problem+json whose
 * detail says what to fix, and changes nothing (no job, no staged or written file).
 */
@SpringBootTest
@AutoConfigureMockMvc
@Import(BearerFromTokenFile.class)
class BadInputApiTest {
  static final Path DATA;
  static final String ROOT;
  static final String OK_OUT;
  static final int MAX_BODY = 256 * 1024;

  static {
    try {
      DATA = Files.createTempDirectory("spotbatch-bad-input").toRealPath();
      ROOT = "file://" + DATA + "/";
      OK_OUT = ROOT + "out/bad/";
      models(DATA.resolve("models"));
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Model locations that are wrong in one way each. */
  static void models(Path dir) throws Exception {
    String sha = "0".repeat(64); // well formed, and matches no file
    Files.createDirectories(dir.resolve("empty"));
    Files.createDirectories(dir.resolve("not-json"));
    Files.writeString(dir.resolve("not-json/spotbatch-model.json"), "{\"name\": ");
    Files.createDirectories(dir.resolve("no-sha"));
    Files.writeString(dir.resolve("no-sha/spotbatch-model.json"), "{\"name\":\"m\"}");
    Files.createDirectories(dir.resolve("no-file"));
    Files.writeString(
        dir.resolve("no-file/spotbatch-model.json"),
        "{\"name\":\"m\",\"sha256\":{\"model.onnx\":\""
            + sha
            + "\",\"tokenizer.json\":\""
            + sha
            + "\"}}");
    Files.writeString(dir.resolve("no-file/tokenizer.json"), "{}");
    Files.createDirectories(dir.resolve("classifier"));
    Files.writeString(
        dir.resolve("classifier/spotbatch-model.json"),
        "{\"name\":\"c\",\"task\":\"classify\",\"labels\":[\"neg\",\"pos\"],"
            + "\"sha256\":{\"model.onnx\":\""
            + sha
            + "\",\"tokenizer.json\":\""
            + sha
            + "\"}}");
    Files.writeString(dir.resolve("classifier/model.onnx"), "x");
    Files.writeString(dir.resolve("classifier/tokenizer.json"), "{}");
  }

  /** A valid inline job with {@code "model": <model>} and {@code extra} fields. */
  static String withModel(String model, String extra) {
    return valid(extra).replace("\"all-minilm-l6-v2\"", model);
  }

  static String modelAt(String dir) {
    return "{\"uri\":\"" + ROOT + "models/" + dir + "/\"}";
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry r) {
    r.add("spotbatch.data-dir", DATA::toString);
    r.add("spotbatch.queue.type", () -> "memory");
    r.add("spring.datasource.url", () -> "jdbc:h2:mem:bad-input-test;DB_CLOSE_DELAY=-1");
    r.add("spring.cloud.aws.region.static", () -> "us-east-1");
    r.add("spring.cloud.aws.credentials.access-key", () -> "test");
    r.add("spring.cloud.aws.credentials.secret-key", () -> "test");
    r.add("spring.cloud.aws.s3.enabled", () -> "false");
    r.add("spotbatch.security.local-token", () -> "true");
    r.add("spotbatch.security.max-body-size", () -> MAX_BODY + "B");
    r.add("spotbatch.security.max-inline-records", () -> "100");
    // three requests per case, faster than a person: not what this test is about
    r.add("spotbatch.security.rate-limit.requests-per-second", () -> "10000");
    r.add("spotbatch.security.rate-limit.burst", () -> "10000");
  }

  @Autowired MockMvc mvc;

  /** One bad request, the status it gets, and what its detail must say. */
  record Case(Supplier<MockHttpServletRequestBuilder> request, int status, String... detail) {}

  static Named<Case> bad(String name, int status, String json, String... detail) {
    return Named.of(
        name,
        new Case(
            () -> post("/api/v1/jobs").contentType(MediaType.APPLICATION_JSON).content(json),
            status,
            detail));
  }

  static Named<Case> bad(
      String name, int status, Supplier<MockHttpServletRequestBuilder> r, String... detail) {
    return Named.of(name, new Case(r, status, detail));
  }

  /** A valid job with one field replaced: {@code "input":{...}} by default. */
  static String withInput(String uri) {
    return "{\"model\":\"all-minilm-l6-v2\",\"input\":{\"uri\":\""
        + uri
        + "\"},\"output\":{\"uri\":\""
        + OK_OUT
        + "\"}}";
  }

  static String withOutput(String uri) {
    return "{\"model\":\"all-minilm-l6-v2\",\"records\":[],\"output\":{\"uri\":\"" + uri + "\"}}";
  }

  /**
   * A valid inline job with {@code "output": {"uri": .., "format": <format>}} and {@code extra}.
   */
  static String withOutputFormat(String format, String extra) {
    return valid(extra)
        .replace("\"" + OK_OUT + "\"}", "\"" + OK_OUT + "\",\"format\":" + format + "}");
  }

  static String valid(String extra) {
    return "{\"model\":\"all-minilm-l6-v2\",\"records\":[{\"id\":\"a\",\"text\":\"x\"}],"
        + "\"output\":{\"uri\":\""
        + OK_OUT
        + "\"}"
        + extra
        + "}";
  }

  static Stream<Named<Case>> cases() {
    List<Named<Case>> c = new ArrayList<>();
    // ---- malformed JSON and the wrong shape
    c.add(bad("truncated JSON", 400, "{\"model\":", "malformed JSON", "line 1"));
    c.add(bad("not JSON at all", 400, "model=all-minilm-l6-v2", "malformed JSON"));
    c.add(bad("a JSON array instead of an object", 400, "[]", "malformed JSON"));
    c.add(bad("a JSON string instead of an object", 400, "\"job\"", "malformed JSON"));
    c.add(bad("JSON null", 400, "null", "send a JSON job object"));
    c.add(bad("an empty body", 400, "", "send a JSON job object"));
    c.add(bad("a trailing comma", 400, valid(","), "malformed JSON"));
    c.add(bad("a second JSON value after the job", 400, valid("") + " {}", "malformed JSON"));
    c.add(bad("single quotes", 400, "{'model':'all-minilm-l6-v2'}", "malformed JSON"));
    c.add(bad("a comment", 400, "/* job */" + valid(""), "malformed JSON"));
    // ---- wrong types
    c.add(bad("itemBytes as words", 400, valid(",\"itemBytes\":\"lots\""), "itemBytes"));
    c.add(bad("itemBytes beyond a long", 400, valid(",\"itemBytes\":1e400"), "itemBytes"));
    c.add(
        bad(
            "itemBytes as a huge integer",
            400,
            valid(",\"itemBytes\":123456789012345678901234567890"),
            "itemBytes"));
    c.add(bad("maxAttempts as a boolean", 400, valid(",\"maxAttempts\":true"), "maxAttempts"));
    c.add(bad("maxAttempts as an object", 400, valid(",\"maxAttempts\":{}"), "maxAttempts"));
    c.add(
        bad(
            "input as a string",
            400,
            "{\"model\":\"all-minilm-l6-v2\",\"input\":\""
                + ROOT
                + "x.jsonl\",\"output\":{\"uri\":\""
                + OK_OUT
                + "\"}}",
            "input"));
    c.add(
        bad(
            "output as an array",
            400,
            "{\"model\":\"all-minilm-l6-v2\",\"records\":[],\"output\":[\"" + OK_OUT + "\"]}",
            "output"));
    c.add(
        bad(
            "records as an object",
            400,
            "{\"model\":\"all-minilm-l6-v2\",\"records\":{\"id\":\"a\"},\"output\":{\"uri\":\""
                + OK_OUT
                + "\"}}",
            "records"));
    c.add(
        bad(
            "a record that is a string",
            400,
            "{\"model\":\"all-minilm-l6-v2\",\"records\":[\"text\"],\"output\":{\"uri\":\""
                + OK_OUT
                + "\"}}",
            "records"));
    c.add(
        bad(
            "a record that is null",
            400,
            "{\"model\":\"all-minilm-l6-v2\",\"records\":[null],\"output\":{\"uri\":\""
                + OK_OUT
                + "\"}}",
            "records[0]",
            "JSON object"));
    c.add(
        bad(
            "the model as an array",
            400,
            valid("").replace("\"all-minilm-l6-v2\"", "[\"all-minilm-l6-v2\"]"),
            "model"));
    // ---- deadline and priority
    c.add(
        bad(
            "a deadline in the past",
            400,
            valid(",\"deadline\":\"2020-01-01T00:00:00Z\""),
            "deadline 2020-01-01T00:00:00Z is in the past"));
    c.add(
        bad(
            "a deadline that is not a date",
            400,
            valid(",\"deadline\":\"tomorrow at eight\""),
            "ISO-8601",
            "tomorrow at eight"));
    c.add(
        bad(
            "a deadline without a zone",
            400,
            valid(",\"deadline\":\"2099-01-01T08:00:00\""),
            "with a zone"));
    c.add(
        bad(
            "a priority above the range",
            400,
            valid(",\"priority\":101"),
            "priority must be between -100 and 100",
            "was 101"));
    c.add(
        bad(
            "a priority below the range",
            400,
            valid(",\"priority\":-1000"),
            "priority must be between -100 and 100"));
    c.add(bad("a priority in words", 400, valid(",\"priority\":\"high\""), "priority"));
    // ---- unknown fields: a typo must not be ignored silently
    c.add(bad("an unknown top-level field", 400, valid(",\"itemByte\":4096"), "itemByte"));
    c.add(
        bad(
            "an unknown field in input",
            400,
            "{\"model\":\"all-minilm-l6-v2\",\"input\":{\"uri\":\""
                + ROOT
                + "x.jsonl\",\"fromat\":\"jsonl\"},\"output\":{\"uri\":\""
                + OK_OUT
                + "\"}}",
            "fromat"));
    c.add(
        bad(
            "an unknown field in output",
            400,
            "{\"model\":\"all-minilm-l6-v2\",\"records\":[],\"output\":{\"uri\":\""
                + OK_OUT
                + "\",\"overwrite\":true}}",
            "overwrite"));
    // ---- huge and deep
    c.add(
        bad(
            "a body over the size limit",
            413,
            valid(",\"name\":\"" + "x".repeat(MAX_BODY) + "\""),
            "the limit is " + MAX_BODY + " bytes"));
    c.add(
        bad("more inline records than allowed", 400, tooManyRecords(), "at most 100", "input.uri"));
    c.add(
        bad(
            "deeply nested JSON",
            400,
            valid(",\"x\":" + "[".repeat(5000) + "]".repeat(5000)),
            "malformed JSON",
            "depth"));
    // ---- the model
    c.add(
        bad(
            "an unknown model",
            400,
            valid("").replace("all-minilm-l6-v2", "gpt-9"),
            "unknown model 'gpt-9'",
            "all-minilm-l6-v2"));
    c.add(
        bad(
            "an empty model",
            400,
            valid("").replace("all-minilm-l6-v2", ""),
            "model is required",
            "all-minilm-l6-v2"));
    // ---- models by location, tasks and their options
    c.add(
        bad(
            "a model location outside the roots",
            400,
            withModel("{\"uri\":\"file:///etc/models/\"}", ""),
            "model.uri",
            "outside the allowed storage roots"));
    c.add(
        bad(
            "a model location without a descriptor",
            400,
            withModel(modelAt("empty"), ""),
            "no spotbatch-model.json",
            "Bring your own model"));
    c.add(
        bad(
            "a descriptor that is not JSON",
            400,
            withModel(modelAt("not-json"), ""),
            "not a valid descriptor"));
    c.add(
        bad(
            "a descriptor without checksums",
            400,
            withModel(modelAt("no-sha"), ""),
            "no checksum for 'model.onnx'",
            "sha256sum"));
    c.add(
        bad(
            "a descriptor naming a missing file",
            400,
            withModel(modelAt("no-file"), ""),
            "'model.onnx'",
            "is missing"));
    c.add(
        bad(
            "a classification model asked to embed",
            400,
            withModel(modelAt("classifier"), ""),
            "classification model"));
    c.add(
        bad(
            "a model by name and by location",
            400,
            withModel("{\"name\":\"all-minilm-l6-v2\",\"uri\":\"" + ROOT + "models/empty/\"}", ""),
            "not both"));
    c.add(
        bad(
            "an unknown field in the model",
            400,
            withModel("{\"url\":\"" + ROOT + "models/empty/\"}", ""),
            "url"));
    c.add(
        bad(
            "an unknown task",
            400,
            valid(",\"tasks\":[\"summarize\"]"),
            "unknown task 'summarize'",
            "chunk"));
    c.add(
        bad(
            "embed before chunk",
            400,
            valid(",\"tasks\":[\"embed\",\"chunk\"]"),
            "must come last"));
    c.add(
        bad(
            "similarity without queries",
            400,
            valid(",\"tasks\":[\"similarity\"]"),
            "options.similarity.queries"));
    c.add(
        bad(
            "zero-shot classify without labels",
            400,
            valid(",\"tasks\":[\"classify\"]"),
            "options.classify.labels"));
    c.add(
        bad(
            "chunks longer than the model reads",
            400,
            valid(",\"tasks\":[\"chunk\",\"embed\"],\"options\":{\"chunk\":{\"maxTokens\":512}}"),
            "more than the model reads (256",
            "at most 254"));
    c.add(
        bad(
            "an overlap as large as the chunk",
            400,
            valid(
                ",\"tasks\":[\"chunk\"],\"options\":{\"chunk\":{\"maxTokens\":64,\"overlap\":64}}"),
            "chunk.overlap"));
    c.add(
        bad(
            "similarity queries too long to travel with every work item",
            400,
            valid(
                ",\"tasks\":[\"similarity\"],\"options\":{\"similarity\":{\"queries\":{\"q\":\""
                    + "x".repeat(70_000)
                    + "\"}}}"),
            "at most 64000"));
    c.add(
        bad(
            "a task that needs a model, without one",
            400,
            valid(",\"tasks\":[\"chunk\",\"embed\"]")
                .replace("\"model\":\"all-minilm-l6-v2\",", ""),
            "model is required"));
    // ---- locations
    c.add(
        bad(
            "input outside the allowed roots",
            400,
            withInput("file:///etc/passwd"),
            "outside the allowed storage roots",
            ROOT));
    c.add(
        bad(
            "output outside the allowed roots",
            400,
            withOutput("file:///tmp/elsewhere/"),
            "outside the allowed storage roots"));
    c.add(
        bad(
            "a root that is only a prefix of the path",
            400,
            withInput("file://" + DATA + "-other/x.jsonl"),
            "outside the allowed storage roots"));
    c.add(bad("'..' in the input", 400, withInput(ROOT + "in/../../etc/passwd"), "'..'"));
    c.add(bad("'..' in the output", 400, withOutput(ROOT + "out/../../../tmp/"), "'..'"));
    c.add(
        bad(
            "percent-encoded '..' in the input",
            400,
            withInput(ROOT + "in/%2e%2e/%2e%2e/etc/passwd"),
            "'..'"));
    c.add(
        bad(
            "percent-encoded '..' in the output",
            400,
            withOutput(ROOT + "out/%2E%2E/%2E%2E/tmp/"),
            "'..'"));
    c.add(
        bad(
            "an http URL to the AWS metadata service",
            400,
            withInput("http://169.254.169.254/latest/meta-data/iam/"),
            "instance-metadata"));
    c.add(
        bad(
            "an s3 URL naming the metadata address",
            400,
            withInput("s3://169.254.169.254/latest/"),
            "instance-metadata"));
    c.add(
        bad(
            "the GCP metadata host",
            400,
            withInput("http://metadata.google.internal/computeMetadata/v1/"),
            "instance-metadata"));
    c.add(bad("an https URL", 400, withInput("https://example.com/docs.jsonl"), "not allowed"));
    c.add(
        bad(
            "a jar: URL",
            400,
            withInput("jar:file:" + DATA + "/x.jar!/docs.jsonl"),
            "not allowed"));
    c.add(bad("a relative path", 400, withInput("docs.jsonl"), "file:///"));
    c.add(
        bad(
            "a file URI with a host",
            400,
            withInput("file://evil.example.com/etc/passwd"),
            "no host"));
    c.add(bad("a URI with a space", 400, withInput(ROOT + "my docs.jsonl"), "not a valid URI"));
    c.add(bad("an empty input uri", 400, withInput(""), "input.uri is required"));
    c.add(bad("an empty output uri", 400, withOutput(""), "output location is required"));
    // ---- formats
    c.add(
        bad(
            "an unsupported format",
            400,
            withInput(ROOT + "x.csv").replace("\"},", "\",\"format\":\"csv\"},"),
            "unsupported format 'csv'",
            "jsonl"));
    c.add(
        bad(
            "parquet",
            400,
            withInput(ROOT + "x.parquet").replace("\"},", "\",\"format\":\"parquet\"},"),
            "supported: jsonl"));
    // ---- output formats: npy holds one vector per record
    c.add(
        bad(
            "an unknown output format",
            400,
            withOutputFormat("\"parquet\"", ""),
            "output.format",
            "unknown output format 'parquet'",
            "allowed: jsonl, npy"));
    c.add(
        bad(
            "an output format that is not a string",
            400,
            withOutputFormat("[\"npy\"]", ""),
            "output.format"));
    c.add(
        bad(
            "npy with classify",
            400,
            withOutputFormat(
                "\"npy\"",
                ",\"tasks\":[\"classify\"],\"options\":{\"classify\":{\"labels\":{\"a\":\"b\"}}}"),
            "output format 'npy' holds one vector per record",
            "'classify'",
            "allowed: jsonl, npy"));
    c.add(
        bad(
            "npy with similarity",
            400,
            withOutputFormat(
                "\"npy\"",
                ",\"tasks\":[\"similarity\"],\"options\":{\"similarity\":{\"queries\":{\"q\":\"x\"}}}"),
            "'similarity', whose result is not a vector",
            "use format 'jsonl'"));
    c.add(
        bad(
            "npy with chunk alone",
            400,
            withOutputFormat("\"npy\"", ",\"tasks\":[\"chunk\"]")
                .replace("\"model\":\"all-minilm-l6-v2\",", ""),
            "tasks [chunk] give texts, not vectors",
            "end the tasks with embed"));
    c.add(
        bad(
            "npy with a plugin",
            400,
            withOutputFormat("\"npy\"", ",\"tasks\":[\"plugin\"],\"options\":{\"plugin\":\"p\"}")
                .replace("\"model\":\"all-minilm-l6-v2\",", ""),
            "'plugin', whose result is not a vector",
            "allowed: jsonl, npy"));
    // ---- not JSON at all
    c.add(
        bad(
            "a binary body sent as JSON",
            400,
            () ->
                post("/api/v1/jobs")
                    .contentType(MediaType.APPLICATION_JSON)
                    .content(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, (byte) 0x80}),
            "malformed JSON"));
    c.add(
        bad(
            "a body in the wrong media type",
            415,
            () -> post("/api/v1/jobs").contentType(MediaType.TEXT_PLAIN).content(valid("")),
            "application/json"));
    c.add(
        bad(
            "a body of octet-stream",
            415,
            () ->
                post("/api/v1/jobs")
                    .contentType(MediaType.APPLICATION_OCTET_STREAM)
                    .content(new byte[] {1, 2, 3}),
            "application/json"));
    // ---- parameters, paths and methods
    c.add(
        bad(
            "an unknown status filter",
            400,
            () -> get("/api/v1/jobs?status=DONE"),
            "unknown status 'DONE'",
            "SUCCEEDED"));
    c.add(
        bad(
            "a negative limit",
            400,
            () -> get("/api/v1/jobs?limit=-1"),
            "limit must be between 1 and 1000"));
    c.add(bad("a limit that is not a number", 400, () -> get("/api/v1/jobs?limit=ten"), "limit"));
    c.add(
        bad("an unknown job", 404, () -> get("/api/v1/jobs/" + "x".repeat(300)), "no job has id"));
    c.add(bad("cancel of an unknown job", 404, () -> post("/api/v1/jobs/ghost/cancel"), "ghost"));
    c.add(bad("retry of an unknown job", 404, () -> post("/api/v1/jobs/ghost/retry"), "ghost"));
    c.add(bad("a method the endpoint lacks", 405, () -> delete("/api/v1/jobs"), "DELETE"));
    c.add(
        bad(
            "an endpoint that does not exist",
            404,
            () -> post("/api/v1/jobz"),
            "there is no POST /api/v1/jobz",
            "/v3/api-docs"));
    // ---- tokens
    c.add(
        bad(
            "an empty Authorization header",
            401,
            () ->
                post("/api/v1/jobs")
                    .header("Authorization", "")
                    .contentType(MediaType.APPLICATION_JSON)
                    .content(valid("")),
            "Bearer"));
    c.add(
        bad(
            "a Basic header",
            401,
            () -> get("/api/v1/jobs").header("Authorization", "Basic YTpi"),
            "must be 'Bearer <token>'"));
    c.add(
        bad(
            "an unknown token",
            401,
            () ->
                post("/api/v1/jobs")
                    .header("Authorization", "Bearer guess")
                    .contentType(MediaType.APPLICATION_JSON)
                    .content(valid("")),
            "matches no API key"));
    // ---- the cost calculator (POST /api/v1/estimates)
    c.add(
        estimate(
            "an estimate without records",
            "{\"recordsPerSecondPerWorker\":10,"
                + "\"instanceType\":\"p5.48xlarge\",\"region\":\"us-east-1\"}",
            "records is required"));
    c.add(
        estimate(
            "an estimate without a rate",
            "{\"records\":1000," + "\"instanceType\":\"p5.48xlarge\",\"region\":\"us-east-1\"}",
            "recordsPerSecondPerWorker is required"));
    c.add(
        estimate(
            "an estimate at zero records/s",
            estimateWith("\"recordsPerSecondPerWorker\":0"),
            "recordsPerSecondPerWorker must be > 0"));
    c.add(
        estimate(
            "an estimate for an unpriced machine",
            estimateWith("\"instanceType\":\"x9.huge\""),
            "no on-demand and spot price for 'x9.huge'",
            "p5.48xlarge"));
    c.add(
        estimate(
            "an estimate without a region",
            estimateWith("\"region\":\"\""),
            "region is required, e.g. us-east-1"));
    c.add(
        estimate(
            "an estimate for 0 workers", estimateWith("\"workers\":0"), "workers must be 1..256"));
    c.add(
        estimate(
            "an estimate with a past deadline",
            estimateWith("\"deadline\":\"2020-01-01T00:00:00Z\""),
            "has passed"));
    c.add(
        estimate(
            "an estimate with a deadline that is no instant",
            estimateWith("\"deadline\":\"tomorrow\""),
            "deadline"));
    c.add(
        estimate(
            "an estimate of a job longer than the simulator's horizon",
            estimateWith("\"records\":100000000000"),
            "give more workers or a faster rate"));
    c.add(estimate("an estimate with an unknown field", estimateWith("\"gpus\":8"), "gpus"));
    return c.stream();
  }

  /** A valid estimate request with one field replaced (or added). */
  static String estimateWith(String field) {
    String name = field.substring(0, field.indexOf(':'));
    StringBuilder out = new StringBuilder("{" + field);
    for (String f :
        List.of(
            "\"records\":1000000",
            "\"recordsPerSecondPerWorker\":100",
            "\"instanceType\":\"p5.48xlarge\"",
            "\"region\":\"us-east-1\"",
            "\"workers\":2")) {
      if (!f.startsWith(name)) {
        out.append(',').append(f);
      }
    }
    return out.append('}').toString();
  }

  static Named<Case> estimate(String name, String json, String... detail) {
    return bad(
        name,
        400,
        () -> post("/api/v1/estimates").contentType(MediaType.APPLICATION_JSON).content(json),
        detail);
  }

  static String tooManyRecords() {
    StringBuilder r = new StringBuilder();
    for (int i = 0; i <= 100; i++) {
      r.append(i == 0 ? "" : ",").append("{\"id\":\"").append(i).append("\",\"text\":\"x\"}");
    }
    return valid("").replace("[{\"id\":\"a\",\"text\":\"x\"}]", "[" + r + "]");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void isAProblemThatSaysWhatToFixAndChangesNothing(Case c) throws Exception {
    int jobs = jobCount();
    List<Path> files = files();

    ResultActions r = mvc.perform(c.request().get());

    r.andExpect(status().is(c.status()))
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.status").value(c.status()))
        .andExpect(jsonPath("$.title").isNotEmpty())
        .andExpect(jsonPath("$.detail").isNotEmpty())
        // no stack traces or class names of ours in what a client sees
        .andExpect(jsonPath("$.detail").value(not(containsString("dev.spotbatch"))))
        .andExpect(jsonPath("$.detail").value(not(containsString("Exception"))));
    for (String part : c.detail()) {
      r.andExpect(jsonPath("$.detail").value(containsString(part)));
    }
    assertThat(jobCount()).as("jobs").isEqualTo(jobs);
    assertThat(files()).as("files under the data directory").isEqualTo(files);
  }

  int jobCount() throws Exception {
    String list =
        mvc.perform(get("/api/v1/jobs?limit=1000")).andReturn().getResponse().getContentAsString();
    List<Object> jobs = JsonPath.read(list, "$.jobs");
    return jobs.size();
  }

  List<Path> files() throws Exception {
    try (Stream<Path> s = Files.walk(DATA)) {
      return s.filter(p -> !p.startsWith(DATA.resolve("db"))).sorted().toList();
    }
  }
}
