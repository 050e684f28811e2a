package dev.spotbatch.dispatcher.cost;

import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.Lifecycle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Dollars per hour by provider, region, instance type and lifecycle, each with its basis and
 * source. {@link #defaults} loads the sourced default book ({@code prices/default-prices.csv}, see
 * docs/PRICES.md); configured prices win over it, and the spot refresher {@link #update}s it.
 *
 * <p>Rules: a machine whose lifecycle is unknown is priced as on-demand (the conservative choice);
 * a machine the book does not know gets an {@link PriceBasis#UNKNOWN} quote of zero that callers
 * must flag, never a silent zero; the {@code local} provider is priced as the instance type it
 * simulates ({@link LocalPricing}), labelled {@link PriceBasis#SIMULATED}, and so is any machine in
 * a {@code local-*} region or zone. A price for a region the book lacks falls back to a price for
 * any region, then to the default region. Thread-safe.
 */
public final class PriceBook {
  /** The region prices fall back to when the book has none for the machine's own region. */
  public static final String DEFAULT_REGION = "us-east-1";

  /** The provider name of the local process fleet. */
  public static final String LOCAL_PROVIDER = "local";

  /**
   * How the local fleet is priced: as {@code instanceType} in {@code region} on AWS.
   *
   * @param instanceType the configured notional type ({@code spotbatch.fleet.local.instance-type})
   */
  public record LocalPricing(String instanceType, String region) {
    public static final LocalPricing DEFAULT = new LocalPricing("g5.xlarge", DEFAULT_REGION);

    public LocalPricing {
      instanceType = instanceType == null || instanceType.isBlank() ? "g5.xlarge" : instanceType;
      region = region == null || region.isBlank() ? DEFAULT_REGION : region;
    }
  }

  private final Map<String, Price> current = new ConcurrentHashMap<>();
  private final List<Price> history = new ArrayList<>();
  private final LocalPricing local;

  /** A book of exactly these prices, the local fleet priced as {@link LocalPricing#DEFAULT}. */
  public PriceBook(List<Price> entries) {
    this(entries, LocalPricing.DEFAULT);
  }

  public PriceBook(List<Price> entries, LocalPricing local) {
    this.local = Objects.requireNonNull(local, "local");
    for (Price p : entries) {
      put(p);
    }
  }

  /**
   * The sourced default book with {@code overrides} on top (an override replaces the default of the
   * same provider, type and lifecycle in every region).
   */
  public static PriceBook defaults(List<Price> overrides, LocalPricing local) {
    List<Price> all = new ArrayList<>(PriceBookCsv.defaults());
    all.addAll(overrides);
    return new PriceBook(all, local);
  }

  /** The hourly price, or empty if the book does not know this machine (any region). */
  public OptionalDouble usdPerHour(String provider, String instanceType, Lifecycle lifecycle) {
    Quote q = quote(provider, null, instanceType, lifecycle);
    return q.known() ? OptionalDouble.of(q.usdPerHour()) : OptionalDouble.empty();
  }

  /** The hourly price in a region, or empty if the book does not know this machine. */
  public OptionalDouble usdPerHour(
      String provider, String region, String instanceType, Lifecycle lifecycle) {
    Quote q = quote(provider, region, instanceType, lifecycle);
    return q.known() ? OptionalDouble.of(q.usdPerHour()) : OptionalDouble.empty();
  }

  /** The price of the machine an event ran on. */
  public Quote quote(InstanceFacts i) {
    return quote(i, i.lifecycle());
  }

  /** The price of the machine an event ran on, bought as {@code lifecycle}. */
  public Quote quote(InstanceFacts i, Lifecycle lifecycle) {
    String region = isLocal(i.provider(), i.zone()) ? i.zone() : i.region();
    return quote(i.provider(), region, i.instanceType(), lifecycle);
  }

  /**
   * The price of a machine with its basis; never throws and never returns null: an unknown machine
   * gets an {@link PriceBasis#UNKNOWN} quote.
   *
   * @param region null or unknown: any region, then {@link #DEFAULT_REGION}
   */
  public Quote quote(String provider, String region, String instanceType, Lifecycle lifecycle) {
    Lifecycle l =
        lifecycle == null || lifecycle == Lifecycle.UNKNOWN ? Lifecycle.ON_DEMAND : lifecycle;
    if (isLocal(provider, region)) {
      String type =
          find("aws", null, instanceType, l).isPresent() ? instanceType : local.instanceType();
      Optional<Price> as = find("aws", local.region(), type, l);
      String pricedAs = "aws " + local.region() + " " + type + " " + l;
      return as.map(
              p ->
                  new Quote(
                      p.usdPerHour(),
                      PriceBasis.SIMULATED,
                      "simulated: local fleet priced as " + pricedAs + " (" + p.basis() + ")",
                      pricedAs))
          .orElseGet(() -> unknown(pricedAs));
    }
    String what = provider + " " + (region == null ? "" : region + " ") + instanceType + " " + l;
    return find(provider, region, instanceType, l)
        .map(
            p ->
                new Quote(
                    p.usdPerHour(),
                    p.basis(),
                    p.source(),
                    p.provider() + " " + p.region() + " " + p.instanceType() + " " + p.lifecycle()))
        .orElseGet(() -> unknown(what));
  }

  /**
   * True for a machine of the local fleet: the {@code local} provider, or a machine in a {@code
   * local-*} region or zone (local workers read their facts from a local metadata endpoint that
   * answers like AWS, so they may say {@code aws}; no cloud has a region of that name).
   */
  public static boolean isLocal(String provider, String region) {
    return LOCAL_PROVIDER.equals(provider) || (region != null && region.startsWith("local"));
  }

  /** Replaces the current price of one machine (the spot refresher's figures). */
  public void update(Price price) {
    current.put(
        key(price.provider(), price.region(), price.instanceType(), price.lifecycle()), price);
  }

  /** Every current price, sorted by provider, region, type and lifecycle. */
  public List<Price> entries() {
    return current.values().stream()
        .sorted(
            Comparator.comparing(Price::provider)
                .thenComparing(Price::region)
                .thenComparing(Price::instanceType)
                .thenComparing(Price::lifecycle))
        .toList();
  }

  /**
   * Every price the book was built with, older reference points included (such as p5.48xlarge at
   * $98.32 before the 2025 price cut), in the order given.
   */
  public synchronized List<Price> history() {
    return List.copyOf(history);
  }

  /** How the local fleet is priced. */
  public LocalPricing localPricing() {
    return local;
  }

  private synchronized void put(Price p) {
    history.add(p);
    current.merge(
        key(p.provider(), p.region(), p.instanceType(), p.lifecycle()),
        p,
        (old, next) -> newer(next, old) ? next : old);
    if (p.basis() == PriceBasis.CONFIGURED && Price.ANY_REGION.equals(p.region())) {
      // a configured price replaces the defaults of the same machine in every region
      current
          .entrySet()
          .removeIf(e -> e.getValue().basis() != PriceBasis.CONFIGURED && same(e.getValue(), p));
    }
  }

  private static boolean same(Price a, Price b) {
    return a.provider().equalsIgnoreCase(b.provider())
        && a.instanceType().equalsIgnoreCase(b.instanceType())
        && a.lifecycle() == b.lifecycle();
  }

  /** Configured wins, then the newer date; with equal standing the later entry wins. */
  private static boolean newer(Price next, Price old) {
    if ((next.basis() == PriceBasis.CONFIGURED) != (old.basis() == PriceBasis.CONFIGURED)) {
      return next.basis() == PriceBasis.CONFIGURED;
    }
    if (next.asOf() == null || old.asOf() == null) {
      return true;
    }
    return !next.asOf().isBefore(old.asOf());
  }

  private Optional<Price> find(String provider, String region, String type, Lifecycle l) {
    if (provider == null || type == null) {
      return Optional.empty();
    }
    if (region != null) {
      Price p = current.get(key(provider, region, type, l));
      if (p != null) {
        return Optional.of(p);
      }
    }
    Price any = current.get(key(provider, Price.ANY_REGION, type, l));
    if (any != null) {
      return Optional.of(any);
    }
    Price fallback = current.get(key(provider, DEFAULT_REGION, type, l));
    if (fallback != null) {
      return Optional.of(fallback);
    }
    return current.values().stream()
        .filter(
            p ->
                p.provider().equalsIgnoreCase(provider)
                    && p.instanceType().equalsIgnoreCase(type)
                    && p.lifecycle() == l)
        .min(Comparator.comparing(Price::region));
  }

  private static Quote unknown(String what) {
    return new Quote(0, PriceBasis.UNKNOWN, "no price for " + what, what);
  }

  private static String key(String provider, String region, String type, Lifecycle lifecycle) {
    return provider.toLowerCase(Locale.ROOT)
        + "|"
        + region.toLowerCase(Locale.ROOT)
        + "|"
        + type.toLowerCase(Locale.ROOT)
        + "|"
        + lifecycle;
  }
}
