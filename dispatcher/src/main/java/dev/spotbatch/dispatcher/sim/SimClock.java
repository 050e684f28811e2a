package dev.spotbatch.dispatcher.sim;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The market clock of one run: it stands still until the event loop moves it. */
final class SimClock extends Clock {
  private Instant now;

  SimClock(Instant start) {
    this.now = start;
  }

  void set(Instant t) {
    if (t.isBefore(now)) {
      throw new IllegalStateException("the simulated clock cannot go back: " + t + " < " + now);
    }
    now = t;
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the simulated clock is UTC");
  }
}
