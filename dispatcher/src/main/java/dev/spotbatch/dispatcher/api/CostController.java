package dev.spotbatch.dispatcher.api;

import dev.spotbatch.dispatcher.cost.CostReport;
import dev.spotbatch.dispatcher.cost.FleetCost;
import dev.spotbatch.dispatcher.cost.Price;
import dev.spotbatch.dispatcher.cost.PriceAlert;
import dev.spotbatch.dispatcher.cost.PriceAlerts;
import dev.spotbatch.dispatcher.cost.PriceBook;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/cost?from=&to=}: the fleet's cost per pool and in total; {@code GET
 * /api/v1/cost/prices}: the price book in use, each price with its basis and source; {@code GET
 * /api/v1/cost/alerts}: spot prices past their alert thresholds.
 */
@RestController
@Tag(name = "cost", description = "What the fleet cost, saved and lost to interruptions")
public class CostController {
  /** The longest window one call may ask for. */
  static final Duration MAX_WINDOW = Duration.ofDays(366);

  /** The window when {@code from} is not given. */
  static final Duration DEFAULT_WINDOW = Duration.ofHours(24);

  private final CostReport report;
  private final PriceBook prices;
  private final PriceAlerts alerts;
  private final Clock clock;

  public CostController(CostReport report, PriceBook prices, PriceAlerts alerts, Clock clock) {
    this.report = report;
    this.prices = prices;
    this.alerts = alerts;
    this.clock = clock;
  }

  @GetMapping("/api/v1/cost")
  @Operation(
      summary = "Show what the fleet cost",
      description =
          "Per pool and in total, for the window [from, to): dollars (every machine's billed time"
              + " at its price, idle time included), the on-demand cost of the same time, savings,"
              + " machine hours split into busy (the jobs' shares) and idle (boot, waiting,"
              + " draining), wasted dollars, interruptions and interruptions per machine hour,"
              + " dollars per 1,000 committed records and a monthly projection at the window's"
              + " rate. The local fleet is priced as the instance type it simulates (pricing"
              + " 'simulated'); machines without a price count as $0 with pricing 'unknown' and a"
              + " warning.")
  public FleetCost cost(
      @Parameter(description = "ISO-8601 instant; default: 24 hours before 'to'")
          @RequestParam(required = false)
          String from,
      @Parameter(description = "ISO-8601 instant; default: now") @RequestParam(required = false)
          String to) {
    Instant end = to == null || to.isBlank() ? clock.instant() : instant("to", to);
    Instant start =
        from == null || from.isBlank() ? end.minus(DEFAULT_WINDOW) : instant("from", from);
    if (!start.isBefore(end)) {
      throw new BadRequestException(
          "from", "'from' (" + start + ") must be before 'to' (" + end + ")");
    }
    if (Duration.between(start, end).compareTo(MAX_WINDOW) > 0) {
      throw new BadRequestException(
          "from", "the window from 'from' to 'to' may be at most 366 days; ask for less");
    }
    FleetCost cost = report.between(start, end);
    // a spot price past its alert threshold is what a reader of the bill must know first
    List<String> firing =
        alerts.check().alerts().stream()
            .filter(PriceAlert::firing)
            .map(PriceAlert::message)
            .toList();
    if (firing.isEmpty()) {
      return cost;
    }
    List<String> warnings = new ArrayList<>(firing);
    warnings.addAll(cost.warnings());
    return new FleetCost(cost.from(), cost.to(), cost.pools(), cost.total(), warnings);
  }

  @GetMapping("/api/v1/cost/alerts")
  @Operation(
      summary = "Show spot price alerts",
      description =
          "Each watched spot machine (the fleet's spot pools, and every machine a rule names by"
              + " instance type) against the rules of spotbatch.cost.price-alerts (default: any"
              + " spot machine above 90% of its on-demand price): its price now, the percentage of"
              + " on-demand, whether a threshold is passed and since when. Firing alerts come"
              + " first; they also head the warnings of GET /api/v1/cost and set the gauge"
              + " spotbatch_spot_price_alert.")
  public PriceAlerts.Report alerts() {
    return alerts.check();
  }

  @GetMapping("/api/v1/cost/prices")
  @Operation(
      summary = "Show the price book",
      description =
          "Every current price ($/hour by provider, region, instance type and lifecycle) with its"
              + " basis (listed, quoted, estimate, refreshed, configured) and source; see"
              + " docs/PRICES.md.")
  public List<Price> prices() {
    return prices.entries();
  }

  private static Instant instant(String field, String text) {
    try {
      return Instant.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw new BadRequestException(
          field,
          "'"
              + field
              + "' must be an ISO-8601 instant such as 2026-12-01T00:00:00Z, was '"
              + text
              + "'");
    }
  }
}
