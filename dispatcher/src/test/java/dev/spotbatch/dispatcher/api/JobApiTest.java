package dev.spotbatch.dispatcher.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.spotbatch.event.ItemCompleted;
import dev.spotbatch.event.ItemReleased;
import dev.spotbatch.event.ItemStarted;
import dev.spotbatch.event.PartRef;
import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.OutputFormat;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.queue.EventQueue;
import dev.spotbatch.queue.Lease;
import dev.spotbatch.queue.WorkSubmitter;
import dev.spotbatch.queue.memory.InMemoryWorkQueue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The REST API end to end in one process: in-memory queues, H2, a temp-dir object store. */
@SpringBootTest
@AutoConfigureMockMvc
@Import(BearerFromTokenFile.class)
class JobApiTest {
  static final Path DATA;

  static {
    try {
      DATA = Files.createTempDirectory("spotbatch-api").toRealPath();
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry r) {
    r.add("spotbatch.data-dir", DATA::toString);
    r.add("spotbatch.queue.type", () -> "memory");
    r.add("spring.datasource.url", () -> "jdbc:h2:mem:api-test;DB_CLOSE_DELAY=-1");
    r.add("spring.cloud.aws.region.static", () -> "us-east-1");
    r.add("spring.cloud.aws.credentials.access-key", () -> "test");
    r.add("spring.cloud.aws.credentials.secret-key", () -> "test");
    r.add("spring.cloud.aws.s3.enabled", () -> "false");
    // the embedded default's token file, which every request sends (BearerFromTokenFile)
    r.add("spotbatch.security.local-token", () -> "true");
  }

  @Autowired MockMvc mvc;
  @Autowired WorkSubmitter queue;
  @Autowired EventQueue events;

  static String root() {
    return "file://" + DATA + "/";
  }

  static String body(String input, String output) {
    return "{\"name\":\"n\",\"model\":\"all-minilm-l6-v2\",\"input\":{\"uri\":\""
        + input
        + "\"},\"output\":{\"uri\":\""
        + output
        + "\"}}";
  }

  ResultActions submit(String json) throws Exception {
    return mvc.perform(post("/api/v1/jobs").contentType(MediaType.APPLICATION_JSON).content(json));
  }

  String submitOk(String json) throws Exception {
    String response =
        submit(json).andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
    return JsonPath.read(response, "$.id");
  }

  String statusOf(String id) throws Exception {
    return JsonPath.read(
        mvc.perform(get("/api/v1/jobs/" + id)).andReturn().getResponse().getContentAsString(),
        "$.status");
  }

  void awaitStatus(String id, String expected) {
    await().atMost(Duration.ofSeconds(10)).until(() -> expected.equals(statusOf(id)));
  }

  static void problem(ResultActions r, int status, String... detailParts) throws Exception {
    r.andExpect(status().is(status))
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.status").value(status))
        .andExpect(jsonPath("$.title").value(notNullValue()));
    for (String part : detailParts) {
      r.andExpect(jsonPath("$.detail").value(containsString(part)));
    }
  }

  Path input(String name, String content) throws Exception {
    Path p = DATA.resolve("in").resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
    return p;
  }

  // ---- POST /api/v1/jobs

  @Test
  void submitAnswers201WithLocationAndTheJobInTheContractShape() throws Exception {
    Path in = input("ok.jsonl", "{\"id\":\"a\",\"text\":\"hello\"}\n");
    String out = root() + "out/ok/";
    String response =
        submit(body("file://" + in, out))
            .andExpect(status().isCreated())
            .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
            .andExpect(header().string("Location", containsString("/api/v1/jobs/")))
            .andExpect(jsonPath("$.id").value(notNullValue()))
            .andExpect(jsonPath("$.name").value("n"))
            .andExpect(
                jsonPath("$.status").value(org.hamcrest.Matchers.oneOf("PENDING", "RUNNING")))
            .andExpect(jsonPath("$.model").value("all-minilm-l6-v2"))
            .andExpect(jsonPath("$.createdAt").value(notNullValue()))
            .andExpect(jsonPath("$.startedAt").hasJsonPath())
            .andExpect(jsonPath("$.finishedAt").hasJsonPath())
            .andExpect(jsonPath("$.items.total").hasJsonPath())
            .andExpect(jsonPath("$.items.pending").hasJsonPath())
            .andExpect(jsonPath("$.items.running").hasJsonPath())
            .andExpect(jsonPath("$.items.succeeded").hasJsonPath())
            .andExpect(jsonPath("$.items.failed").hasJsonPath())
            .andExpect(jsonPath("$.records.succeeded").value(0))
            .andExpect(jsonPath("$.records.failed").value(0))
            .andExpect(jsonPath("$.output.uri").value(out))
            .andExpect(jsonPath("$.output.manifest").hasJsonPath())
            .andExpect(jsonPath("$.output.format").value("jsonl"))
            .andExpect(jsonPath("$.cost.usd").value(0.0))
            .andExpect(jsonPath("$.cost.onDemandUsd").value(0.0))
            .andExpect(jsonPath("$.cost.savingsPct").hasJsonPath())
            .andReturn()
            .getResponse()
            .getContentAsString();
    String id = JsonPath.read(response, "$.id");
    awaitStatus(id, "RUNNING");
    mvc.perform(get("/api/v1/jobs/" + id))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.items.total").value(1))
        .andExpect(jsonPath("$.startedAt").value(notNullValue()));
  }

  @Test
  void aDeadlineAndAPriorityAreKeptAndJudgedOnceTheJobIsDone() throws Exception {
    String id =
        submitOk(
            "{\"model\":\"all-minilm-l6-v2\",\"records\":[],\"output\":{\"uri\":\""
                + root()
                + "out/dated/\"},\"deadline\":\"2099-01-01T09:00:00+01:00\",\"priority\":7}");
    mvc.perform(get("/api/v1/jobs/" + id))
        .andExpect(jsonPath("$.deadline").value("2099-01-01T08:00:00Z"))
        .andExpect(jsonPath("$.priority").value(7))
        .andExpect(jsonPath("$.eta").hasJsonPath())
        .andExpect(jsonPath("$.onTrack").hasJsonPath());
    awaitStatus(id, "SUCCEEDED");
    String job =
        mvc.perform(get("/api/v1/jobs/" + id)).andReturn().getResponse().getContentAsString();
    org.assertj.core.api.Assertions.assertThat((String) JsonPath.read(job, "$.eta"))
        .isEqualTo(JsonPath.read(job, "$.finishedAt"));
    org.assertj.core.api.Assertions.assertThat((Boolean) JsonPath.read(job, "$.onTrack")).isTrue();
  }

  @Test
  void withoutADeadlineTheJobHasPriorityZeroAndNoVerdict() throws Exception {
    String id =
        submitOk(
            "{\"model\":\"all-minilm-l6-v2\",\"records\":[],\"output\":{\"uri\":\""
                + root()
                + "out/undated/\"}}");
    awaitStatus(id, "SUCCEEDED");
    mvc.perform(get("/api/v1/jobs/" + id))
        .andExpect(jsonPath("$.deadline").value(org.hamcrest.Matchers.nullValue()))
        .andExpect(jsonPath("$.priority").value(0))
        .andExpect(jsonPath("$.onTrack").value(org.hamcrest.Matchers.nullValue()));
  }

  @Test
  void inlineRecordsAreAccepted() throws Exception {
    String id =
        submitOk(
            "{\"model\":\"all-minilm-l6-v2\",\"records\":[{\"id\":\"a\",\"text\":\"x\"}],"
                + "\"output\":{\"uri\":\""
                + root()
                + "out/inline/\"}}");
    awaitStatus(id, "RUNNING");
    org.assertj.core.api.Assertions.assertThat(DATA.resolve("staging/" + id + "/records.jsonl"))
        .exists();
  }

  @Test
  void anEmptyRecordsListIsFineAndSucceedsWithAManifest() throws Exception {
    String id =
        submitOk(
            "{\"model\":\"all-minilm-l6-v2\",\"records\":[],\"output\":{\"uri\":\""
                + root()
                + "out/empty/\"}}");
    awaitStatus(id, "SUCCEEDED");
    mvc.perform(get("/api/v1/jobs/" + id))
        .andExpect(jsonPath("$.output.manifest").value(root() + "out/empty/_SUCCESS"))
        .andExpect(jsonPath("$.records.succeeded").value(0));
  }

  @Test
  void malformedJsonSaysWhere() throws Exception {
    problem(
        submit("{\"model\": \"all-minilm-l6-v2\",\n \"input\": {"),
        400,
        "malformed JSON",
        "line 2");
  }

  @Test
  void aValueOfTheWrongTypeNamesTheField() throws Exception {
    problem(
        submit("{\"model\":\"all-minilm-l6-v2\",\"itemBytes\":\"lots\"}"),
        400,
        "itemBytes",
        "line 1");
  }

  @Test
  void aMissingBodyIsAProblem() throws Exception {
    problem(mvc.perform(post("/api/v1/jobs").contentType(MediaType.APPLICATION_JSON)), 400, "JSON");
  }

  @Test
  void anUnknownModelListsTheKnownOnes() throws Exception {
    problem(
        submit(body(root() + "in/x.jsonl", root() + "out/").replace("all-minilm-l6-v2", "gpt-9")),
        400,
        "unknown model 'gpt-9'",
        "all-minilm-l6-v2");
  }

  @Test
  void aMissingModelListsTheKnownOnes() throws Exception {
    problem(
        submit("{\"records\":[],\"output\":{\"uri\":\"" + root() + "out/\"}}"),
        400,
        "model is required",
        "all-minilm-l6-v2");
  }

  @Test
  void neitherInputNorRecordsIsAProblem() throws Exception {
    ResultActions r =
        submit("{\"model\":\"all-minilm-l6-v2\",\"output\":{\"uri\":\"" + root() + "out/\"}}");
    problem(r, 400, "either 'input'", "'records'");
    r.andExpect(jsonPath("$.errors[*].field").value(hasItem("input")));
  }

  @Test
  void bothInputAndRecordsIsAProblem() throws Exception {
    problem(
        submit(
            "{\"model\":\"all-minilm-l6-v2\",\"input\":{\"uri\":\""
                + root()
                + "in/x.jsonl\"},"
                + "\"records\":[],\"output\":{\"uri\":\""
                + root()
                + "out/\"}}"),
        400,
        "not both");
  }

  @Test
  void aMissingOutputIsAProblem() throws Exception {
    ResultActions r = submit("{\"model\":\"all-minilm-l6-v2\",\"records\":[]}");
    problem(r, 400, "output location is required", root());
    r.andExpect(jsonPath("$.errors[*].field").value(hasItem("output")));
  }

  @ParameterizedTest
  @CsvSource({
    "input, file:///etc/passwd, outside the allowed storage roots",
    "output, file:///tmp/elsewhere/, outside the allowed storage roots",
    "input, http://example.com/docs.jsonl, http and other schemes are not allowed",
    "output, https://example.com/out/, http and other schemes are not allowed",
    "input, s3://169.254.169.254/latest/meta-data/, instance-metadata",
    "input, s3://bucket/docs.jsonl, outside the allowed storage roots",
  })
  void locationsOutsideTheAllowedRootsAreRefused(String which, String uri, String message)
      throws Exception {
    String ok = root() + "x/";
    String json = which.equals("input") ? body(uri, ok) : body(ok + "in.jsonl", uri);
    ResultActions r = submit(json);
    problem(r, 400, message);
    r.andExpect(jsonPath("$.errors[*].field").value(hasItem(which + ".uri")));
  }

  @Test
  void aPathWithDotDotIsRefused() throws Exception {
    problem(submit(body(root() + "in/../../etc/passwd", root() + "out/")), 400, "'..'");
  }

  @ParameterizedTest
  @CsvSource({"1023", "1073741825", "0", "-5"})
  void itemBytesOutOfRangeIsAProblem(long itemBytes) throws Exception {
    problem(
        submit(
            body(root() + "in/x.jsonl", root() + "out/")
                .replace("}}", "},\"itemBytes\":" + itemBytes + "}")),
        400,
        "itemBytes must be between 1024 (1 KiB) and 1073741824 (1 GiB)");
  }

  @ParameterizedTest
  @CsvSource({"0", "21"})
  void maxAttemptsOutOfRangeIsAProblem(int maxAttempts) throws Exception {
    problem(
        submit(
            body(root() + "in/x.jsonl", root() + "out/")
                .replace("}}", "},\"maxAttempts\":" + maxAttempts + "}")),
        400,
        "maxAttempts must be between 1 and 20");
  }

  @Test
  void everyViolationIsListed() throws Exception {
    ResultActions r =
        submit("{\"model\":\"nope\",\"records\":[],\"itemBytes\":1,\"maxAttempts\":99}");
    problem(r, 400, "model", "output", "itemBytes", "maxAttempts");
    r.andExpect(jsonPath("$.errors.length()").value(4));
  }

  // ---- GET

  @Test
  void anUnknownJobIs404Problem() throws Exception {
    problem(mvc.perform(get("/api/v1/jobs/no-such-job")), 404, "no-such-job", "GET /api/v1/jobs");
  }

  @Test
  void listIsNewestFirstAndFiltersByStatusAndLimit() throws Exception {
    String first =
        submitOk(
            "{\"model\":\"all-minilm-l6-v2\",\"records\":[],\"output\":{\"uri\":\""
                + root()
                + "out/l1/\"}}");
    Thread.sleep(5); // distinct creation times on the real clock
    String second =
        submitOk(
            "{\"model\":\"all-minilm-l6-v2\",\"records\":[],\"output\":{\"uri\":\""
                + root()
                + "out/l2/\"}}");
    awaitStatus(first, "SUCCEEDED");
    awaitStatus(second, "SUCCEEDED");

    String all =
        mvc.perform(get("/api/v1/jobs?limit=1000"))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    java.util.List<String> ids = JsonPath.read(all, "$.jobs[*].id");
    org.assertj.core.api.Assertions.assertThat(ids.indexOf(second)).isLessThan(ids.indexOf(first));
    mvc.perform(get("/api/v1/jobs?status=succeeded&limit=1"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.jobs.length()").value(1))
        .andExpect(jsonPath("$.jobs[0].status").value("SUCCEEDED"));
  }

  @Test
  void anUnknownStatusFilterListsTheValidOnes() throws Exception {
    problem(
        mvc.perform(get("/api/v1/jobs?status=DONE")), 400, "unknown status 'DONE'", "SUCCEEDED");
  }

  @Test
  void aLimitOutOfRangeIsAProblem() throws Exception {
    problem(mvc.perform(get("/api/v1/jobs?limit=0")), 400, "limit must be between 1 and 1000");
    problem(mvc.perform(get("/api/v1/jobs?limit=many")), 400);
  }

  // ---- cancel

  @Test
  void cancelStopsARunningJobAnd409sOnceItIsFinished() throws Exception {
    Path in = input("cancel.jsonl", "{\"text\":\"x\"}\n");
    String id = submitOk(body("file://" + in, root() + "out/cancel/"));
    awaitStatus(id, "RUNNING");

    mvc.perform(post("/api/v1/jobs/" + id + "/cancel"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.status").value("CANCELLED"))
        .andExpect(jsonPath("$.finishedAt").value(notNullValue()));
    // the view counts its items as cancelled; workers find the marker beside the output
    mvc.perform(get("/api/v1/jobs/" + id))
        .andExpect(jsonPath("$.items.cancelled").value(1))
        .andExpect(jsonPath("$.items.pending").value(0))
        .andExpect(jsonPath("$.items.running").value(0));
    assertThat(DATA.resolve("out/cancel/_CANCELLED")).exists();
    problem(
        mvc.perform(post("/api/v1/jobs/" + id + "/cancel")),
        409,
        "already CANCELLED",
        "only PENDING or RUNNING");
  }

  @Test
  void anItemIsRunningFromItsStartUntilItEnds() throws Exception {
    Path in = input("running.jsonl", "{\"text\":\"x\"}\n");
    String id = submitOk(body("file://" + in, root() + "out/running/"));
    awaitStatus(id, "RUNNING");
    WorkItem item =
        ((InMemoryWorkQueue) queue)
            .lease(100, Duration.ZERO, Duration.ofMinutes(1)).stream()
                .map(Lease::item)
                .filter(i -> i.jobId().equals(id))
                .findFirst()
                .orElseThrow();
    Instant now = Instant.now();

    events.publish(
        List.of(
            new ItemStarted(
                "start-" + id,
                id,
                item.itemId(),
                item.range(),
                item.attempts(),
                "w1",
                InstanceFacts.local("w1"),
                now,
                now)));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                mvc.perform(get("/api/v1/jobs/" + id))
                    .andExpect(jsonPath("$.items.running").value(1))
                    .andExpect(jsonPath("$.items.pending").value(0)));

    events.publish(
        List.of(
            new ItemReleased(
                "release-" + id,
                id,
                item.itemId(),
                item.range(),
                item.attempts(),
                ItemReleased.ReleaseReason.HANDED_BACK,
                "w1",
                InstanceFacts.local("w1"),
                now,
                now.plusSeconds(1))));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                mvc.perform(get("/api/v1/jobs/" + id))
                    .andExpect(jsonPath("$.items.running").value(0))
                    .andExpect(jsonPath("$.items.pending").value(1)));
  }

  @Test
  void anNpyJobCarriesItsFormatToItsItemsItsViewAndItsManifest() throws Exception {
    Path in = input("npy.jsonl", "{\"id\":\"a\",\"text\":\"x\"}\n");
    String id =
        submitOk(
            body("file://" + in, root() + "out/npy/")
                .replace("/out/npy/\"}", "/out/npy/\",\"format\":\"NPY\"}"));
    awaitStatus(id, "RUNNING");
    mvc.perform(get("/api/v1/jobs/" + id)).andExpect(jsonPath("$.output.format").value("npy"));
    WorkItem item =
        ((InMemoryWorkQueue) queue)
            .lease(100, Duration.ZERO, Duration.ofMinutes(1)).stream()
                .map(Lease::item)
                .filter(i -> i.jobId().equals(id))
                .findFirst()
                .orElseThrow();
    assertThat(item.outputFormat()).isEqualTo(OutputFormat.NPY);
    assertThat(item.partPath()).endsWith(".npy");

    Instant now = Instant.now();
    events.publish(
        List.of(
            new ItemCompleted(
                "done-" + id,
                id,
                item.itemId(),
                item.range(),
                new PartRef(item.partPath(), 1, item.range()),
                null,
                item.attempts(),
                "w1",
                InstanceFacts.local("w1"),
                now,
                now)));
    awaitStatus(id, "SUCCEEDED");

    JsonNode manifest =
        JsonMapper.builder().build().readTree(DATA.resolve("out/npy/_SUCCESS").toFile());
    assertThat(manifest.path("format").asString()).isEqualTo("npy");
    JsonNode part = manifest.path("parts").get(0);
    assertThat(part.path("path").asString()).isEqualTo(item.partPath());
    assertThat(part.path("files").toString())
        .isEqualTo(
            "[\""
                + item.partPath().replace(".npy", ".ids.jsonl")
                + "\",\""
                + item.partPath()
                + "\"]");
  }

  @Test
  void cancelOfASucceededJobIs409() throws Exception {
    String id =
        submitOk(
            "{\"model\":\"all-minilm-l6-v2\",\"records\":[],\"output\":{\"uri\":\""
                + root()
                + "out/c2/\"}}");
    awaitStatus(id, "SUCCEEDED");
    problem(mvc.perform(post("/api/v1/jobs/" + id + "/cancel")), 409, "already SUCCEEDED");
  }

  @Test
  void cancelOfAnUnknownJobIs404() throws Exception {
    problem(mvc.perform(post("/api/v1/jobs/ghost/cancel")), 404, "ghost");
  }

  // ---- failures and retry

  @Test
  void aJobWithMissingInputFailsWithTheReasonAndCanBeRetriedOnceTheInputExists() throws Exception {
    String missing = root() + "in/later.jsonl";
    String id = submitOk(body(missing, root() + "out/later/"));
    awaitStatus(id, "FAILED");
    mvc.perform(get("/api/v1/jobs/" + id))
        .andExpect(jsonPath("$.reason").value(containsString("does not exist")));
    mvc.perform(get("/api/v1/jobs/" + id + "/failures"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.jobId").value(id))
        .andExpect(jsonPath("$.failures").isArray());

    input("later.jsonl", "{\"text\":\"x\"}\n");
    mvc.perform(post("/api/v1/jobs/" + id + "/retry")).andExpect(status().isOk());
    awaitStatus(id, "RUNNING");
  }

  @Test
  void retryOfAJobThatIsNotFailedIs409() throws Exception {
    String id =
        submitOk(
            "{\"model\":\"all-minilm-l6-v2\",\"records\":[],\"output\":{\"uri\":\""
                + root()
                + "out/r2/\"}}");
    awaitStatus(id, "SUCCEEDED");
    problem(
        mvc.perform(post("/api/v1/jobs/" + id + "/retry")), 409, "only FAILED jobs can be retried");
  }

  @Test
  void failuresAndRetryOfAnUnknownJobAre404() throws Exception {
    problem(mvc.perform(get("/api/v1/jobs/ghost/failures")), 404, "ghost");
    problem(mvc.perform(post("/api/v1/jobs/ghost/retry")), 404, "ghost");
  }

  // ---- models by location and tasks

  @Test
  void aJobWithItsOwnModelRecordsTheModelsNameLocationAndDigest() throws Exception {
    Path dir = Files.createDirectories(DATA.resolve("models/mine"));
    Files.writeString(dir.resolve("model.onnx"), "onnx bytes");
    Files.writeString(dir.resolve("tokenizer.json"), "{}");
    String descriptor =
        "{\"name\":\"my-e5\",\"maxLength\":512,\"prefixes\":{\"passage\":\"passage: \"},"
            + "\"sha256\":{\"model.onnx\":\""
            + "a".repeat(64)
            + "\",\"tokenizer.json\":\""
            + "b".repeat(64)
            + "\"}}";
    Files.writeString(dir.resolve("spotbatch-model.json"), descriptor);
    String digest =
        "sha256:"
            + java.util.HexFormat.of()
                .formatHex(
                    java.security.MessageDigest.getInstance("SHA-256")
                        .digest(descriptor.getBytes(java.nio.charset.StandardCharsets.UTF_8)));

    String id =
        submitOk(
            "{\"model\":{\"uri\":\""
                + root()
                + "models/mine/\",\"input\":\"passage\"},"
                + "\"tasks\":[\"clean\",\"chunk\",\"embed\"],"
                + "\"options\":{\"chunk\":{\"maxTokens\":256,\"overlap\":32}},"
                + "\"records\":[{\"id\":\"a\",\"text\":\"x\"}],\"output\":{\"uri\":\""
                + root()
                + "out/mine/\"}}");

    mvc.perform(get("/api/v1/jobs/" + id))
        .andExpect(jsonPath("$.model").value("my-e5"))
        .andExpect(jsonPath("$.modelUri").value(root() + "models/mine/"))
        .andExpect(jsonPath("$.modelDigest").value(digest))
        .andExpect(jsonPath("$.tasks[0]").value("clean"))
        .andExpect(jsonPath("$.tasks[2]").value("embed"));
  }

  @Test
  void aChunkJobNeedsNoModelAndAPlainJobKeepsItsShape() throws Exception {
    String chunk =
        submitOk(
            "{\"tasks\":[\"chunk\"],\"records\":[{\"id\":\"a\",\"text\":\"x\"}],"
                + "\"output\":{\"uri\":\""
                + root()
                + "out/chunk/\"}}");
    mvc.perform(get("/api/v1/jobs/" + chunk))
        .andExpect(jsonPath("$.model").value("none"))
        .andExpect(jsonPath("$.tasks[0]").value("chunk"))
        .andExpect(jsonPath("$.modelDigest").doesNotExist());

    String plain = submitOk(body(root() + "in/none.jsonl", root() + "out/plain/"));
    mvc.perform(get("/api/v1/jobs/" + plain))
        .andExpect(jsonPath("$.model").value("all-minilm-l6-v2"))
        .andExpect(jsonPath("$.tasks[0]").value("embed"))
        .andExpect(jsonPath("$.modelUri").doesNotExist());
  }

  // ---- fleet and metrics

  @Test
  void fleetWithoutAProviderIsEmpty() throws Exception {
    mvc.perform(get("/api/v1/fleet"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.desired").value(0))
        .andExpect(jsonPath("$.workers").isArray());
  }

  @Test
  void prometheusExposesTheDispatcherMetrics() throws Exception {
    submitOk(
        "{\"model\":\"all-minilm-l6-v2\",\"records\":[],\"output\":{\"uri\":\""
            + root()
            + "out/m/\"}}");
    mvc.perform(get("/actuator/prometheus"))
        .andExpect(status().isOk())
        .andExpect(
            content()
                .string(
                    allOf(
                        containsString("spotbatch_jobs_submitted_total"),
                        containsString("spotbatch_jobs{"),
                        containsString("spotbatch_events_lag_seconds"))));
  }
}
