package dev.spotbatch.dispatcher.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotbatch.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Spot price alerts: which rules apply, when they fire, since when, and when they stop. */
class PriceAlertsTest {
  static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

  final MutableClock clock = new MutableClock(T0);
  final List<PriceAlerts.Report> seen = new ArrayList<>();
  double p5Spot = 20.0;

  List<WatchedMachine> machines() {
    return List.of(
        machine("aws-p5-spot", "aws", "us-east-1", "p5.48xlarge", p5Spot, 55.04),
        machine("aws-g5-spot", "aws", "eu-west-1", "g5.xlarge", 0.40, 1.006),
        new WatchedMachine(
            "unpriced",
            "aws",
            "us-east-1",
            "x9.huge",
            new Quote(0, PriceBasis.UNKNOWN, "", ""),
            new Quote(0, PriceBasis.UNKNOWN, "", "")));
  }

  static WatchedMachine machine(
      String name, String provider, String region, String type, double spot, double onDemand) {
    return new WatchedMachine(
        name,
        provider,
        region,
        type,
        new Quote(spot, PriceBasis.REFRESHED, "test", type),
        new Quote(onDemand, PriceBasis.LISTED, "test", type));
  }

  PriceAlerts alerts(PriceAlertRule... rules) {
    return new PriceAlerts(List.of(rules), this::machines, clock, seen::add);
  }

  @Test
  void anAbsoluteThresholdFiresFromTheCheckThatSeesItUntilThePriceFalls() {
    PriceAlerts alerts = alerts(new PriceAlertRule("aws", "us-east-1", "p5.48xlarge", 25.0, null));

    PriceAlerts.Report quiet = alerts.check();
    assertThat(quiet.alerts()).singleElement().satisfies(a -> assertThat(a.firing()).isFalse());
    assertThat(quiet.alerts().get(0).message()).isNull();

    p5Spot = 30.0;
    clock.advance(Duration.ofSeconds(30));
    PriceAlerts.Report fired = alerts.check();
    PriceAlert a = fired.alerts().get(0);
    assertThat(a.firing()).isTrue();
    assertThat(a.since()).isEqualTo(T0.plusSeconds(30));
    assertThat(a.pctOfOnDemand())
        .isCloseTo(100 * 30 / 55.04, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(a.message())
        .contains(
            "aws-p5-spot",
            "$30.0000/h (55% of on-demand)",
            "p5.48xlarge in us-east-1 of aws: over $25.0000/h");
    assertThat(fired.started()).containsExactly(a);

    clock.advance(Duration.ofSeconds(30));
    PriceAlerts.Report still = alerts.check();
    assertThat(still.alerts().get(0).since()).as("since stays").isEqualTo(T0.plusSeconds(30));
    assertThat(still.started()).as("counted once").isEmpty();

    p5Spot = 24.0;
    clock.advance(Duration.ofSeconds(30));
    assertThat(alerts.check().firing()).isZero();
    assertThat(seen).hasSize(4);
  }

  @Test
  void aShareOfOnDemandThresholdAppliesToEveryMatchingMachineAndFiringOnesComeFirst() {
    PriceAlerts alerts = alerts(new PriceAlertRule(null, null, "*", null, 36.0));

    PriceAlerts.Report r = alerts.check();

    // g5 at 0.40 of 1.006 is 39.8%, p5 at 20 of 55.04 is 36.3%: both pass 36%
    assertThat(r.alerts())
        .extracting(PriceAlert::pool)
        .containsExactly("aws-p5-spot", "aws-g5-spot");
    assertThat(r.firing()).isEqualTo(2);
    p5Spot = 19.0; // 34.5%
    assertThat(alerts.check().alerts())
        .extracting(PriceAlert::pool, PriceAlert::firing)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("aws-g5-spot", true),
            org.assertj.core.groups.Tuple.tuple("aws-p5-spot", false));
  }

  @Test
  void machinesNoRuleNamesAndUnpricedMachinesAreNotWatched() {
    PriceAlerts alerts = alerts(new PriceAlertRule("aws", "eu-west-1", "*", 0.1, null));
    assertThat(alerts.check().alerts()).extracting(PriceAlert::pool).containsExactly("aws-g5-spot");
    assertThat(alerts(PriceAlertRule.defaultRule()).check().alerts())
        .extracting(PriceAlert::pool)
        .doesNotContain("unpriced");
  }

  @Test
  void aRuleSaysWhatToFix() {
    assertThatThrownBy(() -> new PriceAlertRule("aws", null, "g5.xlarge", null, null))
        .hasMessageContaining("needs max-usd-per-hour or max-pct-of-on-demand");
    assertThatThrownBy(() -> new PriceAlertRule("aws", null, "g5.xlarge", -1.0, null))
        .hasMessageContaining("max-usd-per-hour must be a positive number");
    assertThatThrownBy(() -> new PriceAlertRule("aws", null, "g5.xlarge", null, 0.9e4))
        .hasMessageContaining("percentage within 0..1000 (90 = 90% of on-demand)");
    assertThat(PriceAlertRule.defaultRule().describe())
        .isEqualTo("any spot machine in any region: over 90% of on-demand");
  }
}
