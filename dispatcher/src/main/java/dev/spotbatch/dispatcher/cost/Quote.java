package dev.spotbatch.dispatcher.cost;

/**
 * The price a {@link PriceBook} gives one machine, and on what basis.
 *
 * @param usdPerHour the hourly price; 0 when {@code basis} is {@link PriceBasis#UNKNOWN}
 * @param pricedAs the machine the price is for ({@code aws us-east-1 g5.xlarge SPOT}): the local
 *     fleet is priced as the instance type it simulates
 */
public record Quote(double usdPerHour, PriceBasis basis, String source, String pricedAs) {
  /** True when the book knows a price for the machine. */
  public boolean known() {
    return basis != PriceBasis.UNKNOWN;
  }

  /** True when the figure describes no real bill (the local fleet). */
  public boolean simulated() {
    return basis == PriceBasis.SIMULATED;
  }
}
