package dev.spotbatch.local;

import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.spotbatch.dispatcher.DispatcherApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * {@code GET /api/v1/fleet} with the local fleet on (its worker jar missing, so nothing launches).
 */
@SpringBootTest(classes = DispatcherApplication.class)
@AutoConfigureMockMvc
@Import({BearerFromTokenFile.class, MemoryQueues.class})
class FleetApiTest {
  static final Path DATA;

  static {
    try {
      DATA = Files.createTempDirectory("spotbatch-fleet").toRealPath();
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry r) {
    r.add("spotbatch.data-dir", DATA::toString);
    r.add("spotbatch.queue.type", () -> "memory");
    r.add("spring.datasource.url", () -> "jdbc:h2:mem:fleet-test;DB_CLOSE_DELAY=-1");
    r.add("spring.cloud.aws.region.static", () -> "us-east-1");
    r.add("spring.cloud.aws.credentials.access-key", () -> "test");
    r.add("spring.cloud.aws.credentials.secret-key", () -> "test");
    r.add("spring.cloud.aws.s3.enabled", () -> "false");
    // the embedded default's token file, which every request sends (BearerFromTokenFile)
    r.add("spotbatch.security.local-token", () -> "true");
    r.add("spotbatch.fleet.local.workers", () -> 2);
    r.add("spotbatch.fleet.local.worker-jar", () -> DATA.resolve("missing-worker.jar").toString());
  }

  @Autowired MockMvc mvc;

  @Test
  void listsTheLocalWorkersWithDesiredAndActualCounts() throws Exception {
    mvc.perform(get("/api/v1/fleet"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.provider").value("local"))
        .andExpect(jsonPath("$.desired").value(2))
        .andExpect(jsonPath("$.actual").value(0))
        .andExpect(jsonPath("$.workers[0].id").value("local-1"))
        .andExpect(jsonPath("$.workers[0].state").value("STOPPED"))
        .andExpect(jsonPath("$.workers[1].id").value("local-2"))
        .andExpect(jsonPath("$.workers[0].leases").isArray())
        .andExpect(jsonPath("$.workers[0].lastDrain").isEmpty())
        .andExpect(jsonPath("$.interruptions.spot").value(0))
        .andExpect(jsonPath("$.interruptions.kill").value(0));
  }

  @Test
  void interruptingAWorkerWithoutAProcessIsAConflict() throws Exception {
    mvc.perform(post("/api/v1/fleet/workers/local-1/interrupt").param("kind", "spot"))
        .andExpect(status().isConflict())
        .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
        .andExpect(
            jsonPath("$.type").value("https://spotbatch.dev/problems/worker-not-interruptible"))
        .andExpect(jsonPath("$.detail").value(containsString("no running process")));
  }

  @Test
  void anUnknownWorkerIsNotFound() throws Exception {
    mvc.perform(post("/api/v1/fleet/workers/local-9/interrupt").param("kind", "kill"))
        .andExpect(status().isNotFound())
        .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
        .andExpect(jsonPath("$.workerId").value("local-9"))
        .andExpect(jsonPath("$.detail").value(containsString("local-1")));
  }

  @Test
  void aBadKindOrDeadlineIsABadRequestNamingTheAllowedValues() throws Exception {
    mvc.perform(post("/api/v1/fleet/workers/local-1/interrupt").param("kind", "meteor"))
        .andExpect(status().isBadRequest())
        .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
        .andExpect(
            jsonPath("$.detail").value(containsString("spot|rebalance|lifecycle|sigterm|kill")))
        .andExpect(jsonPath("$.errors[0].field").value("kind"));
    mvc.perform(post("/api/v1/fleet/workers/local-1/interrupt"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.detail").value(containsString("kind is required")));
    for (String bad : new String[] {"0", "-5", "soon", "3601"}) {
      mvc.perform(
              post("/api/v1/fleet/workers/local-1/interrupt")
                  .param("kind", "spot")
                  .param("deadlineSeconds", bad))
          .andExpect(status().isBadRequest())
          .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
          .andExpect(jsonPath("$.errors[0].field").value("deadlineSeconds"))
          .andExpect(jsonPath("$.detail").value(containsString("1 to 3600")));
    }
  }

  @Test
  void theOpenApiDescriptionHasTheInterruptEndpointAndItsProblems() throws Exception {
    mvc.perform(get("/v3/api-docs"))
        .andExpect(status().isOk())
        .andExpect(
            jsonPath("$.paths['/api/v1/fleet/workers/{id}/interrupt'].post.summary")
                .value("Interrupt a local worker"))
        .andExpect(
            jsonPath("$.components.examples['worker-not-found'].value.type")
                .value("https://spotbatch.dev/problems/worker-not-found"));
    mvc.perform(post("/api/v1/fleet/workers/local-9/interrupt").param("kind", "spot"))
        .andExpect(jsonPath("$.type").value("https://spotbatch.dev/problems/worker-not-found"))
        .andExpect(jsonPath("$.title").value("No such worker"));
  }
}
