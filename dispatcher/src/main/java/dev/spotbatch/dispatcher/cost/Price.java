package dev.spotbatch.dispatcher.cost;

import dev.spotbatch.model.Lifecycle;
import java.time.LocalDate;
import java.util.Objects;

/**
 * The hourly price of one kind of machine in one region, with where the figure comes from.
 *
 * @param region a region ({@code us-east-1}) or {@link #ANY_REGION} for a price that holds
 *     everywhere (configured prices, budget providers)
 * @param basis how far to trust the figure
 * @param source who published it, or why we estimate it
 * @param asOf the day the figure was true (null: unknown); the newest wins in a {@link PriceBook}
 */
public record Price(
    String provider,
    String region,
    String instanceType,
    Lifecycle lifecycle,
    double usdPerHour,
    PriceBasis basis,
    String source,
    LocalDate asOf) {
  /** The region of a price that holds in every region. */
  public static final String ANY_REGION = "*";

  public Price {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(instanceType, "instanceType");
    Objects.requireNonNull(lifecycle, "lifecycle");
    region = region == null || region.isBlank() ? ANY_REGION : region;
    basis = basis == null ? PriceBasis.CONFIGURED : basis;
    source = source == null ? "" : source;
    if (usdPerHour < 0 || Double.isNaN(usdPerHour) || Double.isInfinite(usdPerHour)) {
      throw new IllegalArgumentException("usdPerHour must be >= 0, was " + usdPerHour);
    }
  }

  /** A configured price that holds in every region. */
  public Price(String provider, String instanceType, Lifecycle lifecycle, double usdPerHour) {
    this(
        provider,
        ANY_REGION,
        instanceType,
        lifecycle,
        usdPerHour,
        PriceBasis.CONFIGURED,
        "configuration",
        null);
  }
}
