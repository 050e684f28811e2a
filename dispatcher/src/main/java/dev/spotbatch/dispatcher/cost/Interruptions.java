package dev.spotbatch.dispatcher.cost;

import java.util.Locale;
import java.util.Set;

/**
 * Which ends of a machine count as an interruption: the provider took the capacity back (a spot
 * interruption or preemption notice), or the machine vanished without a notice. A rebalance
 * recommendation, a lifecycle termination and a SIGTERM are also how a fleet scales in, so they are
 * not counted.
 */
public final class Interruptions {
  private static final Set<String> COUNTED =
      Set.of(
          "aws_spot_interruption",
          "gcp_preemption",
          "azure_preempt",
          "spot",
          "kill",
          "killed-at-deadline",
          "lost");

  private Interruptions() {}

  /** True when a session that ended with {@code kind} was interrupted. */
  public static boolean counts(String kind) {
    return kind != null && COUNTED.contains(kind.toLowerCase(Locale.ROOT));
  }
}
