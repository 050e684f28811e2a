package dev.spotbatch.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.spotbatch.dispatcher.DispatcherApplication;
import dev.spotbatch.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The embedded default's autoscaler with the slack policy, as wired: the local spot pool's
 * simulated price week (nights 12% cheaper), the forecast by pool, and what it decided in the job
 * view and the decisions. The app runs on a clock stopped at Monday 09:00 UTC, so the outcome does
 * not depend on when the test runs; the worker jar is missing, so nothing launches.
 */
@SpringBootTest(classes = DispatcherApplication.class)
@AutoConfigureMockMvc
@Import({BearerFromTokenFile.class, MemoryQueues.class, SlackLocalFleetTest.MondayMorning.class})
class SlackLocalFleetTest {
  static final Instant MONDAY_9 = Instant.parse("2026-01-05T09:00:00Z");
  static final Path DATA;

  static {
    try {
      DATA = Files.createTempDirectory("spotbatch-slack").toRealPath();
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Monday 09:00 UTC, a weekday's daytime price. */
  @TestConfiguration(proxyBeanMethods = false)
  static class MondayMorning {
    @Bean
    @Primary
    Clock mondayMorning() {
      return new MutableClock(MONDAY_9);
    }
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry r) {
    r.add("spotbatch.data-dir", DATA::toString);
    r.add("spotbatch.queue.type", () -> "memory");
    r.add("spring.datasource.url", () -> "jdbc:h2:mem:slack-test;DB_CLOSE_DELAY=-1");
    r.add("spring.cloud.aws.region.static", () -> "us-east-1");
    r.add("spring.cloud.aws.credentials.access-key", () -> "test");
    r.add("spring.cloud.aws.credentials.secret-key", () -> "test");
    r.add("spring.cloud.aws.s3.enabled", () -> "false");
    r.add("spotbatch.security.local-token", () -> "true");
    r.add("spotbatch.fleet.local.worker-jar", () -> DATA.resolve("missing-worker.jar").toString());
    r.add("spotbatch.autoscaler.min-workers", () -> 0);
    r.add("spotbatch.autoscaler.max-workers", () -> 2);
    r.add("spotbatch.autoscaler.tick", () -> "200ms");
  }

  @Autowired MockMvc mvc;

  @Test
  void aJobDueTomorrowWaitsForTheCheaperNightAndSaysSo() throws Exception {
    String body =
        "{\"name\":\"slack\",\"model\":\"all-minilm-l6-v2\",\"deadline\":\"2026-01-06T09:00:00Z\","
            + "\"records\":[{\"id\":\"a\",\"text\":\"x\"},{\"id\":\"b\",\"text\":\"y\"}],"
            + "\"output\":{\"uri\":\"file://"
            + DATA
            + "/out/slack/\"}}";
    String created =
        mvc.perform(post("/api/v1/jobs").contentType(MediaType.APPLICATION_JSON).content(body))
            .andExpect(status().isCreated())
            .andReturn()
            .getResponse()
            .getContentAsString();
    String id = JsonPath.read(created, "$.id");

    String view = null;
    Instant until = Instant.now().plus(Duration.ofSeconds(30));
    while (Instant.now().isBefore(until)) {
      view = mvc.perform(get("/api/v1/jobs/" + id)).andReturn().getResponse().getContentAsString();
      if (JsonPath.read(view, "$.deferral") != null) {
        break;
      }
      Thread.sleep(200);
    }
    assertThat(JsonPath.<String>read(view, "$.deferral.until")).isEqualTo("2026-01-05T22:00:00Z");
    assertThat(JsonPath.<String>read(view, "$.deferral.reason"))
        .contains("waits until 2026-01-05T22:00:00Z", "$0.35/h expected vs $0.40/h if it ran now");

    mvc.perform(get("/api/v1/fleet/decisions").param("limit", "20"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$[*].pool").value(hasItem("local-spot")))
        .andExpect(jsonPath("$[0].reason").value(containsString("job " + id + " waits until")));
    mvc.perform(get("/api/v1/fleet")).andExpect(jsonPath("$.desired").value(0));
  }
}
