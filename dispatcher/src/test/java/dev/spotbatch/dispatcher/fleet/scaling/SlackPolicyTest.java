package dev.spotbatch.dispatcher.fleet.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotbatch.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class SlackPolicyTest {
  /** A Monday, 09:00 UTC: a weekday's daytime, the dearest hours. */
  private static final Instant MONDAY_9 = Instant.parse("2026-01-05T09:00:00Z");

  private final MutableClock clock = new MutableClock(MONDAY_9);
  private final TestFleet fleet = new TestFleet(clock);

  /** Spot pool "a" costs $1.00/h by day and $0.50/h from 22:00 to 06:00 UTC. */
  private static final PriceForecast NIGHTS_CHEAPER =
      (pool, at) -> {
        int h = at.atZone(java.time.ZoneOffset.UTC).getHour();
        return OptionalDouble.of(h >= 22 || h < 6 ? 0.5 : 1.0);
      };

  private Autoscaler scaler(PriceForecast forecast) {
    ScalingSettings settings = ScalingSettings.builder().maxWorkers(10).maxPoolShare(1.0).build();
    return new Autoscaler(settings, clock, SlackSettings.cheapestHours(), forecast);
  }

  /**
   * One hour of the full fleet's work (10 workers x 100 rec/s), due in {@code hours}: with the work
   * factor and the launch it needs 2 hours.
   */
  private JobDemand job(long hours) {
    return new JobDemand(
        "j", 10 * 100 * 3600, 200, clock.instant().plus(Duration.ofHours(hours)), 0);
  }

  @Test
  void aJobWithSlackWaitsForTheCheapHoursAndThenRunsAtFullSpeed() {
    Autoscaler scaler = scaler(NIGHTS_CHEAPER);
    fleet.pool(TestFleet.spot("a", 1.0));
    fleet.pool(TestFleet.onDemand("od", 3.0));
    fleet.job(job(24)); // due Tuesday 09:00
    fleet.queue(new QueueSnapshot(200, 0L, Duration.ofHours(1)));

    ScalingPlan waiting = fleet.tick(scaler);

    assertThat(waiting.totalDesired()).isZero(); // the hour-old queue is waiting on purpose
    assertThat(waiting.jobs())
        .singleElement()
        .satisfies(
            j -> {
              assertThat(j.onTrack()).isTrue();
              assertThat(j.deadline()).isEqualTo(MONDAY_9.plus(Duration.ofHours(24)));
            });

    clock.advance(Duration.ofHours(13)); // 22:00: the night price
    fleet.job(job(11));
    ScalingPlan running = fleet.tick(scaler);

    // the job runs as if due in its 2 cheapest hours, not paced over the 11 hours left:
    // 3.6M records in 2 h = 500 rec/s x 1.1 headroom over 99.75 rec/s per worker
    assertThat(running.desired("a")).isEqualTo(6);
    assertThat(running.desired("od")).isZero();
    assertThat(running.decisions())
        .anySatisfy(
            d -> assertThat(d.reason()).contains("job j runs now at full speed", "$0.50/h"));
  }

  @Test
  void theReasonSaysUntilWhenTheJobWaits() {
    Autoscaler scaler = scaler(NIGHTS_CHEAPER);
    fleet.pool(TestFleet.spot("a", 1.0));
    fleet.job(job(24));
    fleet.tick(scaler);
    // a worker that was already there is not needed now: the decision to let it go says why
    fleet.job(job(24));
    List<String> drivers = new ArrayList<>();
    ScalingPlan p = fleet.tick(scaler);
    p.decisions().forEach(d -> drivers.add(d.reason()));
    assertThat(p.totalDesired()).isZero();
    SlackPolicy policy =
        new SlackPolicy(
            SlackSettings.cheapestHours(),
            ScalingSettings.builder().maxWorkers(10).build(),
            NIGHTS_CHEAPER);
    SlackPolicy.Outcome o = policy.apply(fleet.snapshot(), clock.instant());
    assertThat(o.waiting()).extracting(JobDemand::jobId).containsExactly("j");
    assertThat(o.drivers())
        .singleElement()
        .asString()
        .contains(
            "job j waits until 2026-01-05T22:00:00Z", "$0.50/h expected vs $1.00/h if it ran now");
  }

  @Test
  void aJobWithoutRoomRunsAsItWouldWithoutThePolicy() {
    fleet.pool(TestFleet.spot("a", 1.0));
    fleet.job(job(2)); // 2 h needed in 2 h: no hour to spare
    ScalingPlan withPolicy = fleet.snapshotPlan(scaler(NIGHTS_CHEAPER));
    ScalingPlan without =
        fleet.snapshotPlan(
            new Autoscaler(
                ScalingSettings.builder().maxWorkers(10).maxPoolShare(1.0).build(), clock));
    assertThat(withPolicy.desired("a")).isEqualTo(without.desired("a")).isPositive();
  }

  @Test
  void aSmallSavingIsNotWorthWaitingFor() {
    PriceForecast flat = (pool, at) -> OptionalDouble.of(1.0);
    PriceForecast almostFlat =
        (pool, at) ->
            OptionalDouble.of(at.atZone(java.time.ZoneOffset.UTC).getHour() >= 22 ? 0.97 : 1.0);
    fleet.pool(TestFleet.spot("a", 1.0));
    fleet.job(job(24));
    assertThat(fleet.snapshotPlan(scaler(flat)).totalDesired()).isPositive();
    assertThat(fleet.snapshotPlan(scaler(almostFlat)).totalDesired()).isPositive();
    // no history at all: the pools' current prices, the same every hour
    assertThat(fleet.snapshotPlan(scaler(PriceForecast.NONE)).totalDesired()).isPositive();
  }

  @Test
  void undatedJobsAreNeverHeldBack() {
    fleet.pool(TestFleet.spot("a", 1.0));
    fleet.job(new JobDemand("u", 100_000, 10, null, 0));
    assertThat(fleet.snapshotPlan(scaler(NIGHTS_CHEAPER)).totalDesired()).isPositive();
  }

  @Test
  void anHourOfWeekForecastAveragesTheHistoryOfThatHour() {
    Instant monday9 = MONDAY_9;
    List<PricePoint> history = new ArrayList<>();
    history.add(new PricePoint("a", monday9.minus(Duration.ofDays(7)), 1.0));
    history.add(new PricePoint("a", monday9.minus(Duration.ofDays(14)), 2.0));
    history.add(new PricePoint("a", monday9.minus(Duration.ofDays(14)).plusSeconds(3600), 9.0));
    HourOfWeekForecast f = new HourOfWeekForecast(history);
    assertThat(f.usdPerHour("a", monday9.plus(Duration.ofDays(7)))).hasValue(1.5);
    assertThat(f.usdPerHour("a", monday9.plusSeconds(3600))).hasValue(9.0);
    assertThat(f.usdPerHour("a", monday9.plusSeconds(7200))).isEmpty();
    assertThat(f.usdPerHour("b", monday9)).isEmpty();
    assertThat(HourOfWeekForecast.hourOfWeek(Instant.parse("2026-01-11T23:30:00Z"))).isEqualTo(167);
  }

  @Test
  void settingsAreValidated() {
    assertThatThrownBy(
            () ->
                new SlackSettings(
                    SlackMode.CHEAPEST_HOURS, 1.5, 1.3, Duration.ZERO, Duration.ofDays(1)))
        .hasMessageContaining("minSaving");
    assertThatThrownBy(
            () ->
                new SlackSettings(
                    SlackMode.CHEAPEST_HOURS, 0.05, 0.5, Duration.ZERO, Duration.ofDays(1)))
        .hasMessageContaining("workFactor");
    assertThatThrownBy(
            () ->
                new SlackSettings(
                    SlackMode.CHEAPEST_HOURS, 0.05, 1.3, Duration.ZERO, Duration.ofDays(90)))
        .hasMessageContaining("horizon");
  }
}
