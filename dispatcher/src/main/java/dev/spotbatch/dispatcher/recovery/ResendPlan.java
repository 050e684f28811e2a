package dev.spotbatch.dispatcher.recovery;

import java.util.List;

/**
 * The decision of one reconciler round.
 *
 * @param verdict what was decided
 * @param missing unfinished items minus the messages on the queue (at least this many are lost)
 * @param resend the items to send again, oldest sign of life first
 */
public record ResendPlan(Verdict verdict, long missing, List<ItemSign> resend) {
  public ResendPlan {
    resend = List.copyOf(resend);
  }
}
