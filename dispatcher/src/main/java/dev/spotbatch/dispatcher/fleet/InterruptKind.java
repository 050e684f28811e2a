package dev.spotbatch.dispatcher.fleet;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How a worker is taken away, the ways a cloud provider takes capacity back; the local fleet can
 * inject each of them.
 */
public enum InterruptKind {
  /** IMDS {@code spot/instance-action} at now + deadline; killed at the deadline if still alive. */
  SPOT(Duration.ofSeconds(120)),
  /** IMDS rebalance recommendation; no deadline, nothing enforced. */
  REBALANCE(null),
  /**
   * IMDS {@code target-lifecycle-state} {@code Terminated}; killed at the deadline if still alive.
   */
  LIFECYCLE(Duration.ofSeconds(120)),
  /** SIGTERM now; killed at the deadline if still alive. */
  SIGTERM(Duration.ofSeconds(30)),
  /** SIGKILL now, with no notice at all. */
  KILL(null);

  private final Duration defaultDeadline;

  InterruptKind(Duration defaultDeadline) {
    this.defaultDeadline = defaultDeadline;
  }

  /** The deadline when none is given; null for kinds without one. */
  public Duration defaultDeadline() {
    return defaultDeadline;
  }

  /** True when the fleet kills the process at the deadline (spot, lifecycle, sigterm). */
  public boolean hasDeadline() {
    return defaultDeadline != null;
  }

  /** The name used in the API and in properties ({@code spot}, {@code sigterm}, ...). */
  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<InterruptKind> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String t = text.trim().toUpperCase(Locale.ROOT);
    return Arrays.stream(values()).filter(k -> k.name().equals(t)).findFirst();
  }

  /** {@code spot|rebalance|lifecycle|sigterm|kill}, for messages. */
  public static String allowed() {
    return Arrays.stream(values()).map(InterruptKind::apiName).collect(Collectors.joining("|"));
  }
}
