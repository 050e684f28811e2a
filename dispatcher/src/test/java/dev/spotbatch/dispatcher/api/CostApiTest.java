package dev.spotbatch.dispatcher.api;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.lessThan;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.spotbatch.dispatcher.cost.CostStore;
import dev.spotbatch.dispatcher.cost.MachineSession;
import dev.spotbatch.dispatcher.cost.SessionEnd;
import dev.spotbatch.dispatcher.job.JobStore;
import dev.spotbatch.dispatcher.job.UsageRow;
import dev.spotbatch.dispatcher.metrics.CostMetrics;
import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.Lifecycle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
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
 * {@code GET /api/v1/cost} and {@code /api/v1/cost/prices} in the running app: the shape issue 9
 * asks for, figures that follow from the recorded machine time and the default price book, the job
 * view's cost fields, the per-pool gauges, and problem+json for a bad window.
 */
@SpringBootTest
@AutoConfigureMockMvc
@Import(BearerFromTokenFile.class)
class CostApiTest {
  static final Path DATA;
  static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

  static {
    try {
      DATA = Files.createTempDirectory("spotbatch-cost-api").toRealPath();
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry r) {
    r.add("spotbatch.data-dir", DATA::toString);
    r.add("spotbatch.queue.type", () -> "memory");
    r.add("spring.datasource.url", () -> "jdbc:h2:mem:cost-api-test;DB_CLOSE_DELAY=-1");
    r.add("spring.cloud.aws.region.static", () -> "us-east-1");
    r.add("spring.cloud.aws.credentials.access-key", () -> "test");
    r.add("spring.cloud.aws.credentials.secret-key", () -> "test");
    r.add("spring.cloud.aws.s3.enabled", () -> "false");
    r.add("spotbatch.security.local-token", () -> "true");
    // the gauges must show machine time recorded a moment ago, not the window read at start-up
    r.add("spotbatch.cost.telemetry-refresh", () -> "0s");
    // a configured price wins over the default book's
    r.add("spotbatch.cost.prices[0].provider", () -> "aws");
    r.add("spotbatch.cost.prices[0].instance-type", () -> "g5.xlarge");
    r.add("spotbatch.cost.prices[0].lifecycle", () -> "SPOT");
    r.add("spotbatch.cost.prices[0].usd-per-hour", () -> "0.5");
    // spot price alerts: one that the configured g5 price passes, one that p5 does not
    r.add("spotbatch.cost.price-alerts.rules[0].instance-type", () -> "g5.xlarge");
    r.add("spotbatch.cost.price-alerts.rules[0].max-usd-per-hour", () -> "0.45");
    r.add("spotbatch.cost.price-alerts.rules[1].instance-type", () -> "p5.48xlarge");
    r.add("spotbatch.cost.price-alerts.rules[1].region", () -> "us-east-1");
    r.add("spotbatch.cost.price-alerts.rules[1].max-pct-of-on-demand", () -> "90");
  }

  @Autowired MockMvc mvc;
  @Autowired CostStore costs;
  @Autowired JobStore jobs;
  @Autowired CostMetrics metrics;

  @Test
  void costShowsEachPoolAndTheTotalFromTheMachineTimeBilled() throws Exception {
    InstanceFacts g5 =
        new InstanceFacts("aws", "i-api-1", "g5.xlarge", "us-east-1", "us-east-1a", Lifecycle.SPOT);
    // two hours of machine time, one hour of it busy with 1,000 records
    costs.upsertSession(
        new MachineSession(
            "i-api-1",
            "w1",
            g5,
            null,
            T0,
            T0.plusSeconds(7200),
            SessionEnd.STOPPED,
            "aws_spot_interruption"));
    jobs.usage()
        .insertUsage(
            new UsageRow(
                "e-api-1", "job-x", "item-1", "w1", g5, 3600, T0.plusSeconds(4000), 1000, null));

    mvc.perform(
            get("/api/v1/cost")
                .param("from", "2026-11-30T00:00:00Z")
                .param("to", "2026-12-01T00:00:00Z"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.from").value("2026-11-30T00:00:00Z"))
        .andExpect(jsonPath("$.pools[0].pool").value("aws/g5.xlarge/us-east-1a/spot"))
        .andExpect(jsonPath("$.pools[0].pricing").value("configured"))
        .andExpect(jsonPath("$.total.usd").value(1.0))
        .andExpect(jsonPath("$.total.onDemandUsd").value(2.012))
        .andExpect(jsonPath("$.total.savingsPct").value(50.3))
        .andExpect(jsonPath("$.total.machineHours").value(2.0))
        .andExpect(jsonPath("$.total.idleHours").value(1.0))
        .andExpect(jsonPath("$.total.interruptions").value(1))
        .andExpect(jsonPath("$.total.interruptionsPerHour").value(0.5))
        .andExpect(jsonPath("$.total.usdPer1000Records").value(1.0))
        .andExpect(jsonPath("$.total.monthlyProjectionUsd").value(30.42))
        .andExpect(jsonPath("$.warnings").isArray());

    metrics.update();
    mvc.perform(get("/actuator/prometheus"))
        .andExpect(status().isOk())
        .andExpect(content().string(containsString("spotbatch_cost_usd{")))
        .andExpect(content().string(containsString("spotbatch_fleet_interruptions_per_hour{")))
        .andExpect(content().string(containsString("spotbatch_cost_savings_ratio{")));
  }

  @Test
  void aSpotPricePastItsThresholdIsAnAlertAWarningAndAGauge() throws Exception {
    mvc.perform(get("/api/v1/cost/alerts"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.rules.length()").value(2))
        .andExpect(jsonPath("$.alerts[0].pool").value("aws/*/g5.xlarge"))
        .andExpect(jsonPath("$.alerts[0].firing").value(true))
        .andExpect(jsonPath("$.alerts[0].usdPerHour").value(0.5))
        .andExpect(jsonPath("$.alerts[0].pricing").value("configured"))
        .andExpect(jsonPath("$.alerts[0].since").isNotEmpty())
        .andExpect(
            jsonPath("$.alerts[0].rules[0]").value("g5.xlarge in any region: over $0.4500/h"))
        .andExpect(jsonPath("$.alerts[0].message").value(containsString("spot price alert")))
        .andExpect(jsonPath("$.alerts[1].pool").value("aws/us-east-1/p5.48xlarge"))
        .andExpect(jsonPath("$.alerts[1].firing").value(false))
        .andExpect(jsonPath("$.alerts[1].pctOfOnDemand").value(lessThan(90.0)));

    mvc.perform(get("/api/v1/cost"))
        .andExpect(status().isOk())
        .andExpect(
            jsonPath("$.warnings[0]")
                .value(containsString("spot price alert: aws/*/g5.xlarge (aws * g5.xlarge)")));
    mvc.perform(get("/actuator/prometheus"))
        .andExpect(status().isOk())
        .andExpect(
            content()
                .string(
                    containsString(
                        "spotbatch_spot_price_alert{instance_type=\"g5.xlarge\",pool=\"aws/*/g5.xlarge\",region=\"*\"} 1.0")))
        .andExpect(
            content()
                .string(
                    containsString(
                        "spotbatch_spot_price_alert{instance_type=\"p5.48xlarge\",pool=\"aws/us-east-1/p5.48xlarge\",region=\"us-east-1\"} 0.0")))
        .andExpect(content().string(containsString("spotbatch_spot_price_alerts_total{")));
  }

  @Test
  void thePriceBookIsShownWithItsSources() throws Exception {
    mvc.perform(get("/api/v1/cost/prices"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.length()").value(greaterThan(100)))
        .andExpect(jsonPath("$[*].instanceType").value(hasItem("p5.48xlarge")))
        .andExpect(jsonPath("$[*].basis").value(hasItem("CONFIGURED")));
  }

  @Test
  void aJobShowsItsCostWithWastedWorkMachineHoursAndInterruptions() throws Exception {
    String response =
        mvc.perform(
                post("/api/v1/jobs")
                    .contentType(MediaType.APPLICATION_JSON)
                    .content(
                        "{\"name\":\"c\",\"model\":\"all-minilm-l6-v2\",\"records\":[{\"id\":\"a\",\"text\":\"x\"}],"
                            + "\"output\":{\"uri\":\"file://"
                            + DATA
                            + "/out/c/\"}}"))
            .andExpect(status().isCreated())
            .andExpect(jsonPath("$.cost.usd").value(0.0))
            .andExpect(jsonPath("$.cost.wastedUsd").value(0.0))
            .andExpect(jsonPath("$.cost.machineHours").value(0.0))
            .andExpect(jsonPath("$.cost.interruptions").value(0))
            .andExpect(jsonPath("$.cost.pricing").value("none"))
            .andReturn()
            .getResponse()
            .getContentAsString();
    org.assertj.core.api.Assertions.assertThat(response).contains("\"savingsPct\":null");
  }

  @Test
  void aBadWindowIsAProblemThatSaysWhatToFix() throws Exception {
    mvc.perform(get("/api/v1/cost").param("from", "yesterday"))
        .andExpect(status().isBadRequest())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.detail").value(containsString("ISO-8601 instant")))
        .andExpect(jsonPath("$.errors[0].field").value("from"));
    mvc.perform(
            get("/api/v1/cost")
                .param("from", "2026-12-02T00:00:00Z")
                .param("to", "2026-12-01T00:00:00Z"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.detail").value(containsString("must be before")));
    mvc.perform(
            get("/api/v1/cost")
                .param("from", "2020-01-01T00:00:00Z")
                .param("to", "2026-12-01T00:00:00Z"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.detail").value(containsString("366 days")));
  }
}
