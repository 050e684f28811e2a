package dev.spotbatch.dispatcher.fleet.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.dispatcher.cost.HistoryBasis;
import dev.spotbatch.dispatcher.cost.SimulatedSpotHistory;
import dev.spotbatch.dispatcher.cost.SpotPriceHistory;
import dev.spotbatch.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The running fleet's forecast: a pool's name to its machine's history, as the app wires it. */
class PoolPriceForecastTest {
  static final Instant MONDAY_9 = Instant.parse("2026-01-05T09:00:00Z");

  @Test
  void aPoolIsForecastFromItsMachinesHistoryAndAnUnknownPoolIsNot() {
    FakeFleet fleet = new FakeFleet(new MutableClock(MONDAY_9));
    SpotPriceHistory history = new SpotPriceHistory();
    // FakeFleet's pools are m7i.large in zone z-1a of provider "test"
    history.replace(
        "test",
        "z-1a",
        "m7i.large",
        HistoryBasis.SIMULATED,
        SimulatedSpotHistory.week(
            "m7i.large", 0.10, 0.5, MONDAY_9.minus(Duration.ofDays(7)), MONDAY_9));
    PoolPriceForecast forecast = new PoolPriceForecast(() -> fleet, history::expected);

    assertThat(forecast.usdPerHour("t-spot", MONDAY_9)).hasValue(0.10);
    assertThat(forecast.usdPerHour("t-spot", Instant.parse("2026-01-05T23:00:00Z"))).hasValue(0.05);
    assertThat(forecast.usdPerHour("no-such-pool", MONDAY_9)).isEmpty();
    assertThat(new PoolPriceForecast(() -> null, history::expected).usdPerHour("t-spot", MONDAY_9))
        .isEmpty();
  }
}
