package dev.spotbatch.dispatcher.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * Who may do what, over the real filter chain: each role against each endpoint class, missing,
 * malformed and unknown tokens, the rate limit, the body and inline-record limits. Keys are
 * configured as in production: names, SHA-256 hashes and roles.
 */
@SpringBootTest
@AutoConfigureMockMvc
class SecurityApiTest {
  static final String JOBS = "jobs-token-0123456789";
  static final String FLEET = "fleet-token-0123456789";
  static final String BOTH = "both-token-0123456789";
  static final String SLOW = "slow-token-0123456789";
  static final Path DATA;

  static {
    try {
      DATA = Files.createTempDirectory("spotbatch-security").toRealPath();
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry r) {
    r.add("spotbatch.data-dir", DATA::toString);
    r.add("spotbatch.queue.type", () -> "memory");
    r.add("spring.datasource.url", () -> "jdbc:h2:mem:security-test;DB_CLOSE_DELAY=-1");
    r.add("spring.cloud.aws.region.static", () -> "us-east-1");
    r.add("spring.cloud.aws.credentials.access-key", () -> "test");
    r.add("spring.cloud.aws.credentials.secret-key", () -> "test");
    r.add("spring.cloud.aws.s3.enabled", () -> "false");
    r.add("spotbatch.security.token", () -> "");
    key(r, 0, "ci", JOBS, "jobs");
    key(r, 1, "ops", FLEET, "fleet");
    key(r, 2, "admin", BOTH, "jobs,fleet");
    key(r, 3, "slow", SLOW, "jobs");
    r.add("spotbatch.security.keys[3].rate-limit.requests-per-second", () -> "0.01");
    r.add("spotbatch.security.keys[3].rate-limit.burst", () -> "2");
    r.add("spotbatch.security.max-body-size", () -> "64KB");
    r.add("spotbatch.security.max-inline-records", () -> "5");
  }

  static void key(DynamicPropertyRegistry r, int i, String name, String token, String roles) {
    r.add("spotbatch.security.keys[" + i + "].name", () -> name);
    r.add("spotbatch.security.keys[" + i + "].hash", () -> Tokens.sha256Hex(token));
    r.add("spotbatch.security.keys[" + i + "].roles", () -> roles);
  }

  @Autowired MockMvc mvc;

  static MockHttpServletRequestBuilder as(String token, MockHttpServletRequestBuilder b) {
    return token == null ? b : b.header("Authorization", "Bearer " + token);
  }

  static String job(String out) {
    return "{\"model\":\"all-minilm-l6-v2\",\"records\":[],\"output\":{\"uri\":\"file://"
        + DATA
        + "/out/"
        + out
        + "/\"}}";
  }

  static ResultActions problem(ResultActions r, int status, String type, String... detail)
      throws Exception {
    r.andExpect(status().is(status))
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.status").value(status))
        .andExpect(jsonPath("$.type").value("https://spotbatch.dev/problems/" + type))
        .andExpect(jsonPath("$.title").isNotEmpty());
    for (String d : detail) {
      r.andExpect(jsonPath("$.detail").value(containsString(d)));
    }
    return r;
  }

  // ---- roles per endpoint class

  @ParameterizedTest
  @CsvSource({
    "GET, /api/v1/jobs",
    "GET, /api/v1/jobs/ghost",
    "GET, /api/v1/fleet",
    "GET, /v3/api-docs",
    "GET, /actuator/prometheus",
    "POST, /api/v1/jobs",
    "POST, /api/v1/jobs/ghost/cancel",
    "POST, /api/v1/fleet/workers/local-1/interrupt",
  })
  void everyEndpointButHealthNeedsAToken(String method, String path) throws Exception {
    ResultActions r =
        mvc.perform(
            method.equals("GET")
                ? get(path)
                : post(path).contentType(MediaType.APPLICATION_JSON).content(job("x")));
    problem(r, 401, "missing-token", "Authorization: Bearer <token>", "/actuator/health")
        .andExpect(header().string("WWW-Authenticate", "Bearer realm=\"spotbatch\""));
  }

  @Test
  void healthIsPublicAndShowsNoDetails() throws Exception {
    mvc.perform(get("/actuator/health"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.status").value("UP"))
        .andExpect(jsonPath("$.components").doesNotExist());
    mvc.perform(get("/actuator/health/liveness")).andExpect(status().isOk());
  }

  @Test
  void theDashboardsOwnFilesArePublicAndNothingElseIs() throws Exception {
    // the page loads without a token, then sends the one its URL fragment gave it
    mvc.perform(get("/")).andExpect(status().isOk());
    for (String path :
        List.of("/index.html", "/dashboard/app.js", "/webjars/chart.js/4.4.1/dist/chart.umd.js")) {
      mvc.perform(get(path)).andExpect(status().isOk());
    }
    problem(mvc.perform(get("/webjars/swagger-ui/index.html")), 401, "missing-token");
    problem(mvc.perform(post("/dashboard/app.js")), 401, "missing-token");
  }

  @Test
  void bothRolesReadJobsFleetAndTheApiDescription() throws Exception {
    for (String token : List.of(JOBS, FLEET, BOTH)) {
      mvc.perform(as(token, get("/api/v1/jobs"))).andExpect(status().isOk());
      mvc.perform(as(token, get("/api/v1/fleet"))).andExpect(status().isOk());
      mvc.perform(as(token, get("/v3/api-docs"))).andExpect(status().isOk());
      problem(mvc.perform(as(token, get("/api/v1/jobs/ghost"))), 404, "job-not-found");
    }
  }

  @Test
  void onlyTheJobsRoleSubmitsCancelsAndRetries() throws Exception {
    String created =
        mvc.perform(
                as(JOBS, post("/api/v1/jobs"))
                    .contentType(MediaType.APPLICATION_JSON)
                    .content(job("jobs-role")))
            .andExpect(status().isCreated())
            .andReturn()
            .getResponse()
            .getContentAsString();
    String id = JsonPath.read(created, "$.id");
    problem(mvc.perform(as(JOBS, post("/api/v1/jobs/ghost/retry"))), 404, "job-not-found");

    problem(
            mvc.perform(
                as(FLEET, post("/api/v1/jobs"))
                    .contentType(MediaType.APPLICATION_JSON)
                    .content(job("fleet-role"))),
            403,
            "forbidden",
            "POST /api/v1/jobs needs the role 'jobs'",
            "the key 'ops' has: fleet")
        .andExpect(jsonPath("$.requiredRoles[0]").value("jobs"));
    problem(mvc.perform(as(FLEET, post("/api/v1/jobs/" + id + "/cancel"))), 403, "forbidden");
    problem(mvc.perform(as(FLEET, post("/api/v1/jobs/" + id + "/retry"))), 403, "forbidden");
    problem(
        mvc.perform(as(FLEET, post("/api/v1/estimates").content("{}"))),
        403,
        "forbidden",
        "'jobs'");
  }

  @Test
  void onlyTheFleetRoleInterruptsWorkers() throws Exception {
    String path = "/api/v1/fleet/workers/local-1/interrupt?kind=spot";
    problem(
            mvc.perform(as(JOBS, post(path))),
            403,
            "forbidden",
            "needs the role 'fleet'",
            "the key 'ci' has: jobs")
        .andExpect(jsonPath("$.key").value("ci"));
    // allowed: this dispatcher runs without the local fleet, so no endpoint answers: 404
    problem(mvc.perform(as(FLEET, post(path))), 404, "no-such-endpoint");
    problem(mvc.perform(as(BOTH, post(path))), 404, "no-such-endpoint");
    problem(mvc.perform(as(JOBS, post("/api/v1/fleet/scale"))), 403, "forbidden", "'fleet'");
  }

  @Test
  void anEncodedPathIsJudgedAsSpringMvcRoutesIt() throws Exception {
    // %66 is 'f': MVC routes this to the interrupt endpoint, so it needs the fleet role too
    problem(
        mvc.perform(
            as(JOBS, post(URI.create("/api/v1/%66leet/workers/local-1/interrupt?kind=spot")))),
        403,
        "forbidden",
        "'fleet'");
  }

  @Test
  void metricsNeedTheFleetRole() throws Exception {
    problem(mvc.perform(as(JOBS, get("/actuator/prometheus"))), 403, "forbidden", "'fleet'");
    mvc.perform(as(FLEET, get("/actuator/prometheus")))
        .andExpect(status().isOk())
        .andExpect(content().string(containsString("spotbatch_")));
  }

  // ---- bad tokens

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Basic dXNlcjpwYXNz",
        "Bearer",
        "Bearer ",
        "Bearer two words",
        "Token jobs-token-0123456789",
        "jobs-token-0123456789"
      })
  void aMalformedHeaderIs401SayingTheExpectedForm(String header) throws Exception {
    problem(
            mvc.perform(get("/api/v1/jobs").header("Authorization", header)),
            401,
            "malformed-token",
            "must be 'Bearer <token>'")
        .andExpect(header().string("WWW-Authenticate", containsString("invalid_request")))
        // a pasted secret is never echoed back
        .andExpect(jsonPath("$.detail").value(not(containsString("dXNlcjpwYXNz"))))
        .andExpect(jsonPath("$.detail").value(not(containsString("jobs-token"))));
  }

  @Test
  void anUnknownTokenIs401EvenOnPublicEndpointsAndIsNotEchoed() throws Exception {
    for (String path : List.of("/api/v1/jobs", "/actuator/health")) {
      problem(
              mvc.perform(get(path).header("Authorization", "Bearer not-a-key-at-all")),
              401,
              "unknown-token",
              "matches no API key")
          .andExpect(header().string("WWW-Authenticate", containsString("invalid_token")))
          .andExpect(jsonPath("$.detail").value(not(containsString("not-a-key-at-all"))));
    }
    // the hash itself is not a token
    problem(
        mvc.perform(
            get("/api/v1/jobs").header("Authorization", "Bearer " + Tokens.sha256Hex(JOBS))),
        401,
        "unknown-token");
  }

  @Test
  void theBearerSchemeIsCaseInsensitive() throws Exception {
    mvc.perform(get("/api/v1/jobs").header("Authorization", "bearer " + JOBS))
        .andExpect(status().isOk());
  }

  // ---- limits

  @Test
  void aKeyOverItsRateIsAnswered429WithRetryAfter() throws Exception {
    mvc.perform(as(SLOW, get("/api/v1/jobs"))).andExpect(status().isOk());
    mvc.perform(as(SLOW, get("/api/v1/jobs"))).andExpect(status().isOk());
    ResultActions r = mvc.perform(as(SLOW, get("/api/v1/jobs")));
    problem(r, 429, "rate-limited", "'slow'", "bursts of 2", "Retry-After");
    String retryAfter = r.andReturn().getResponse().getHeader("Retry-After");
    assertThat(Long.parseLong(retryAfter)).isBetween(1L, 100L);
    r.andExpect(jsonPath("$.retryAfterSeconds").value(Integer.parseInt(retryAfter)));
    // other keys have their own buckets
    mvc.perform(as(JOBS, get("/api/v1/jobs"))).andExpect(status().isOk());
  }

  @Test
  void aBodyOverTheLimitIs413AndCreatesNothing() throws Exception {
    int before = jobCount();
    String big =
        job("big")
            .replace("\"records\":[]", "\"name\":\"" + "x".repeat(70_000) + "\",\"records\":[]");
    problem(
            mvc.perform(
                as(JOBS, post("/api/v1/jobs"))
                    .contentType(MediaType.APPLICATION_JSON)
                    .content(big)),
            413,
            "body-too-large",
            "the limit is 65536 bytes",
            "spotbatch.security.max-body-size")
        .andExpect(jsonPath("$.maxBodyBytes").value(65536));
    assertThat(jobCount()).isEqualTo(before);
  }

  @Test
  void moreInlineRecordsThanAllowedIs400NamingTheLimit() throws Exception {
    int before = jobCount();
    StringBuilder records = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      records.append(i == 0 ? "" : ",").append("{\"id\":\"").append(i).append("\",\"text\":\"x\"}");
    }
    problem(
            mvc.perform(
                as(JOBS, post("/api/v1/jobs"))
                    .contentType(MediaType.APPLICATION_JSON)
                    .content(
                        job("many").replace("\"records\":[]", "\"records\":[" + records + "]"))),
            400,
            "too-many-records",
            "6 records",
            "at most 5",
            "input.uri")
        .andExpect(jsonPath("$.errors[0].field").value("records"));
    assertThat(jobCount()).isEqualTo(before);
  }

  int jobCount() throws Exception {
    String list =
        mvc.perform(as(BOTH, get("/api/v1/jobs?limit=1000")))
            .andReturn()
            .getResponse()
            .getContentAsString();
    List<Object> jobs = JsonPath.read(list, "$.jobs");
    return jobs.size();
  }
}
