package dev.spotbatch.dispatcher.fleet.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.dispatcher.cost.HistoryBasis;
import dev.spotbatch.dispatcher.cost.SimulatedSpotHistory;
import dev.spotbatch.dispatcher.cost.SpotPriceHistory;
import dev.spotbatch.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The slack policy on the path the running dispatcher takes: a spot price history (here the local
 * fleet's simulated week: nights and weekends 12% cheaper) forecast by hour of week, an autoscaler
 * with an injected clock, and the decisions and job outlooks it exposes.
 */
class SlackWithHistoryTest {
  /** A Monday, 09:00 UTC: a weekday's daytime price. */
  private static final Instant MONDAY_9 = Instant.parse("2026-01-05T09:00:00Z");

  private final MutableClock clock = new MutableClock(MONDAY_9);
  private final TestFleet fleet = new TestFleet(clock);
  private final SpotPriceHistory history = new SpotPriceHistory();
  private Autoscaler scaler;

  @BeforeEach
  void setUp() {
    history.replace(
        "local",
        SpotPriceHistory.LOCAL_REGION,
        "g5.xlarge",
        HistoryBasis.SIMULATED,
        SimulatedSpotHistory.week(
            "g5.xlarge", 0.40, 0.12, MONDAY_9.minus(Duration.ofDays(14)), MONDAY_9));
    // the pool "a" is a local spot pool of simulated g5.xlarge machines
    PriceForecast forecast =
        (pool, at) ->
            pool.equals("a")
                ? history.expected("local", "local-1a", "g5.xlarge", at)
                : java.util.OptionalDouble.empty();
    scaler =
        new Autoscaler(
            ScalingSettings.builder().maxWorkers(10).maxPoolShare(1.0).build(),
            clock,
            SlackSettings.cheapestHours(),
            forecast);
    fleet.pool(TestFleet.spot("a", 0.40));
    fleet.pool(TestFleet.onDemand("od", 1.01));
  }

  /** {@code fleetHours} of the whole fleet's work (10 workers x 100 rec/s), due at {@code due}. */
  private void job(double fleetHours, Instant due) {
    fleet.job(new JobDemand("j", Math.round(10 * 100 * 3600 * fleetHours), 200, due, 0));
  }

  private void at(Instant t) {
    clock.advance(Duration.between(clock.instant(), t));
  }

  private static JobOutlook outlook(ScalingPlan plan) {
    return plan.jobs().stream().filter(j -> j.jobId().equals("j")).findFirst().orElseThrow();
  }

  @Test
  void aJobWithSlackIsDeferredToTheCheaperNightAndSaysUntilWhen() {
    Instant due = MONDAY_9.plus(Duration.ofHours(24));
    job(1, due); // needs 2 h (work factor 1.3, 15 min launch)

    ScalingPlan plan = fleet.tick(scaler);

    assertThat(plan.totalDesired()).isZero();
    JobOutlook o = outlook(plan);
    assertThat(o.deferredUntil()).isEqualTo(Instant.parse("2026-01-05T22:00:00Z"));
    assertThat(o.onTrack()).isTrue();
    assertThat(o.deferral()).contains("$0.35/h expected vs $0.40/h if it ran now");
    // never past the point where the deadline is at risk: its hours fit before it
    assertThat(o.deferredUntil().plus(Duration.ofHours(2))).isBefore(due);
    assertThat(plan.decisions())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.cause()).isEqualTo(DecisionCause.DEFER);
              assertThat(d.pool()).isEqualTo("a");
              assertThat(d.from()).isEqualTo(d.to()).isZero();
              assertThat(d.reason()).contains("job j waits until 2026-01-05T22:00:00Z");
            });

    clock.advance(Duration.ofSeconds(10));
    job(1, due);
    ScalingPlan next = fleet.tick(scaler);
    assertThat(next.decisions()).as("the wait is recorded once, not every tick").isEmpty();
    assertThat(scaler.decisions(10))
        .extracting(Decision::cause)
        .containsExactly(DecisionCause.DEFER);
  }

  @Test
  void aDeferredJobResumesWhenItsCheaperHoursCome() {
    Instant due = MONDAY_9.plus(Duration.ofHours(24));
    job(1, due);
    fleet.tick(scaler);

    at(Instant.parse("2026-01-05T21:59:50Z"));
    job(1, due);
    assertThat(fleet.tick(scaler).totalDesired()).as("still waiting 10 s before").isZero();

    at(Instant.parse("2026-01-05T22:00:00Z"));
    job(1, due);
    ScalingPlan running = fleet.tick(scaler);

    assertThat(running.desired("a")).isPositive();
    assertThat(running.desired("od")).isZero();
    assertThat(outlook(running).deferredUntil()).isNull();
    assertThat(running.decisions())
        .anySatisfy(
            d -> {
              assertThat(d.cause()).isEqualTo(DecisionCause.RESUME);
              assertThat(d.reason())
                  .contains("stops waiting (was until 2026-01-05T22:00:00Z)", "runs now");
            })
        .anySatisfy(d -> assertThat(d.cause()).isEqualTo(DecisionCause.SCALE_UP));
  }

  @Test
  void aJobThatNeedsEveryHourLeftIsNotDeferredThoughACheaperHourIsAhead() {
    at(Instant.parse("2026-01-05T20:00:00Z"));
    // due 23:59: 22:00 and 23:00 are cheaper, but the job needs 3 of the 3 whole hours left
    job(2, Instant.parse("2026-01-05T23:59:00Z"));

    ScalingPlan plan = fleet.tick(scaler);

    assertThat(plan.desired("a")).isPositive();
    assertThat(outlook(plan).deferredUntil()).isNull();
    assertThat(plan.decisions()).noneMatch(d -> d.cause() == DecisionCause.DEFER);
  }

  @Test
  void withoutHistoryNothingWaits() {
    Autoscaler blind =
        new Autoscaler(
            ScalingSettings.builder().maxWorkers(10).maxPoolShare(1.0).build(),
            clock,
            SlackSettings.cheapestHours(),
            new HourOfWeekForecast(java.util.List.of()));
    job(1, MONDAY_9.plus(Duration.ofHours(24)));
    ScalingPlan plan = fleet.tick(blind);
    assertThat(plan.desired("a")).isPositive();
    assertThat(outlook(plan).deferredUntil()).isNull();
  }
}
