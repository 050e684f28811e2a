package dev.spotbatch.dispatcher.sim;

/** An estimate request that cannot be simulated; {@link #field()} names what to fix. */
public final class EstimateException extends IllegalArgumentException {
  private final String field;

  public EstimateException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
