package dev.spotbatch.dispatcher.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * {@code POST /api/v1/estimates} answers the shape: every strategy with its cost, makespan,
 * wasted dollars, interruptions and spread over the seeds, a recommendation and the assumptions,
 * priced from the configured price book.
 */
@SpringBootTest
@AutoConfigureMockMvc
@Import(BearerFromTokenFile.class)
class EstimateApiTest {
  static final Path DATA;

  static {
    try {
      DATA = Files.createTempDirectory("spotbatch-estimates").toRealPath();
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry r) {
    r.add("spotbatch.data-dir", DATA::toString);
    r.add("spotbatch.queue.type", () -> "memory");
    r.add("spring.datasource.url", () -> "jdbc:h2:mem:estimate-test;DB_CLOSE_DELAY=-1");
    r.add("spring.cloud.aws.region.static", () -> "us-east-1");
    r.add("spring.cloud.aws.credentials.access-key", () -> "test");
    r.add("spring.cloud.aws.credentials.secret-key", () -> "test");
    r.add("spring.cloud.aws.s3.enabled", () -> "false");
    r.add("spotbatch.security.local-token", () -> "true");
    r.add("spotbatch.estimates.seeds", () -> "3");
    r.add("spotbatch.cost.prices[0].provider", () -> "aws");
    r.add("spotbatch.cost.prices[0].instance-type", () -> "p5.48xlarge");
    r.add("spotbatch.cost.prices[0].lifecycle", () -> "ON_DEMAND");
    r.add("spotbatch.cost.prices[0].usd-per-hour", () -> "55.04");
    r.add("spotbatch.cost.prices[1].provider", () -> "aws");
    r.add("spotbatch.cost.prices[1].instance-type", () -> "p5.48xlarge");
    r.add("spotbatch.cost.prices[1].lifecycle", () -> "SPOT");
    r.add("spotbatch.cost.prices[1].usd-per-hour", () -> "19.66");
  }

  @Autowired MockMvc mvc;

  @Test
  void answersEveryStrategyWithItsSpreadARecommendationAndTheAssumptions() throws Exception {
    String body =
        mvc.perform(
                post("/api/v1/estimates")
                    .contentType(MediaType.APPLICATION_JSON)
                    .content(
                        "{\"records\":7200000,\"recordsPerSecondPerWorker\":1000,"
                            + "\"instanceType\":\"p5.48xlarge\",\"region\":\"us-east-1\","
                            + "\"workers\":4}"))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.assumptions.priceSource").value("price book"))
            .andExpect(jsonPath("$.assumptions.onDemandUsdPerHour").value(55.04))
            .andExpect(jsonPath("$.assumptions.workers").value(4))
            .andExpect(jsonPath("$.assumptions.seeds").value(3))
            .andExpect(jsonPath("$.assumptions.marketTemplate").value("seed-h100"))
            .andExpect(jsonPath("$.assumptions.noticeSeconds").value(120))
            .andReturn()
            .getResponse()
            .getContentAsString();
    List<String> strategies = JsonPath.read(body, "$.options[*].strategy");
    assertThat(strategies).containsExactly("on-demand", "spot", "mixed", "budget");
    List<Map<String, Object>> options = JsonPath.read(body, "$.options");
    for (Map<String, Object> o : options) {
      assertThat(o)
          .containsKeys(
              "usd", "makespanHours", "wastedUsd", "interruptions", "savingsPct", "spread", "runs");
      assertThat(((Number) o.get("usd")).doubleValue()).isPositive();
      // half an hour of work on 4 workers, plus launches
      assertThat(((Number) o.get("makespanHours")).doubleValue()).isBetween(0.5, 0.9);
    }
    double onDemand = JsonPath.read(body, "$.options[0].usd");
    double spot = JsonPath.read(body, "$.options[1].usd");
    double spotMin = JsonPath.read(body, "$.options[1].spread.usd.min");
    double spotMax = JsonPath.read(body, "$.options[1].spread.usd.max");
    assertThat(spot).isLessThan(onDemand).isBetween(spotMin, spotMax);
    // the budget provider (8 x H100 at $1.49 per GPU-hour) is cheaper than spot at $19.66
    assertThat((String) JsonPath.read(body, "$.recommendation.strategy")).isEqualTo("budget");
    assertThat((String) JsonPath.read(body, "$.recommendation.reason")).contains("cheaper");
  }

  @Test
  void aDeadlineNoStrategyMeetsRecommendsOnDemandAndSaysWhy() throws Exception {
    String in15Minutes = java.time.Instant.now().plusSeconds(900).toString();
    mvc.perform(
            post("/api/v1/estimates")
                .contentType(MediaType.APPLICATION_JSON)
                .content(
                    "{\"records\":7200000,\"recordsPerSecondPerWorker\":1000,"
                        + "\"instanceType\":\"p5.48xlarge\",\"region\":\"us-west-2\","
                        + "\"workers\":4,\"deadline\":\""
                        + in15Minutes
                        + "\"}"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.options[0].meetsDeadline").value(false))
        .andExpect(jsonPath("$.recommendation.strategy").value("on-demand"))
        .andExpect(
            jsonPath("$.recommendation.reason")
                .value(org.hamcrest.Matchers.containsString("no strategy meets the deadline")));
  }
}
