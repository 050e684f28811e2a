package dev.spotbatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProgressMeterTest {
  static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  static ProgressMeter.Reading observe(
      ProgressMeter m, long seconds, String status, long done, long records) {
    return m.observe(
        ApiClient.JSON.readTree(SpotbatchCliTest.job("j", status, 100, done, records)),
        T0.plusSeconds(seconds));
  }

  @Test
  void theRateAndTheEtaComeFromTheViewsInsideTheWindowSoAnOldPauseFadesOut() {
    ProgressMeter m = new ProgressMeter(Duration.ofSeconds(30));
    observe(m, 0, "RUNNING", 0, 0);
    observe(m, 100, "RUNNING", 0, 0); // a long pause at the start
    observe(m, 110, "RUNNING", 10, 1000);
    ProgressMeter.Reading r = observe(m, 120, "RUNNING", 20, 2000);

    // measured over 100 s..120 s only: 100 rec/s and 1 item/s, 80 items to go
    assertThat(r.recordsPerSecond()).isEqualTo(100.0);
    assertThat(r.eta()).isEqualTo(Duration.ofSeconds(80));
    assertThat(r.fraction()).isEqualTo(0.2);
  }

  @Test
  void nothingMovingMeansNoEta() {
    ProgressMeter m = new ProgressMeter(Duration.ofSeconds(30));
    observe(m, 0, "RUNNING", 10, 100);
    ProgressMeter.Reading r = observe(m, 5, "RUNNING", 10, 100);
    assertThat(r.recordsPerSecond()).isZero();
    assertThat(r.eta()).isNull();
    assertThat(r.line()).contains("0 rec/s  ETA --  RUNNING");
  }

  @Test
  void aFinishedJobWithoutItemsIsFullAndShowsNoEta() {
    ProgressMeter m = new ProgressMeter(Duration.ofSeconds(30));
    ProgressMeter.Reading r =
        m.observe(ApiClient.JSON.readTree(SpotbatchCliTest.job("j", "SUCCEEDED", 0, 0, 0)), T0);
    assertThat(r.fraction()).isEqualTo(1.0);
    assertThat(r.line())
        .isEqualTo(
            "[##############################] 100%  0/0 items  0 records  -- rec/s  SUCCEEDED");
  }

  @Test
  void durationsReadAsClockTimes() {
    assertThat(Format.duration(Duration.ofSeconds(7))).isEqualTo("0:07");
    assertThat(Format.duration(Duration.ofSeconds(750))).isEqualTo("12:30");
    assertThat(Format.duration(Duration.ofSeconds(3723))).isEqualTo("1:02:03");
  }
}
