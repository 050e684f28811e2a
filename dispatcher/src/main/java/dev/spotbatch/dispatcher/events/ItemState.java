package dev.spotbatch.dispatcher.events;

import dev.spotbatch.dispatcher.job.ItemStatus;
import dev.spotbatch.model.Attempts;
import java.time.Instant;

/**
 * One item's row while a batch of events is applied: as read at the start of the batch, then as the
 * batch's events move it, in their order. Each move is the item state machine's rule and returns
 * whether it changed the item; the row is written once at the end of the batch, on the condition
 * that nobody else moved it since it was read ({@link EventRows#write}).
 *
 * <p>Events arrive in any order, so a move carries the attempts of the lease it is about and is
 * ignored when the item has moved on since: a start older than the item's last failure, or a
 * release older than the item's last start (its interruptions). A final item never moves.
 */
final class ItemState {
  final String itemId;
  final String jobId;
  final ItemStatus readStatus;
  final int readFailures;
  final int readInterruptions;
  private ItemStatus status;
  private int failures;
  private int interruptions;
  private String lastError;
  private Instant updatedAt;

  ItemState(
      String itemId,
      String jobId,
      ItemStatus status,
      int failures,
      int interruptions,
      String lastError) {
    this.itemId = itemId;
    this.jobId = jobId;
    this.readStatus = status;
    this.readFailures = failures;
    this.readInterruptions = interruptions;
    this.status = status;
    this.failures = failures;
    this.interruptions = interruptions;
    this.lastError = lastError;
  }

  ItemStatus status() {
    return status;
  }

  int failures() {
    return failures;
  }

  int interruptions() {
    return interruptions;
  }

  String lastError() {
    return lastError;
  }

  /** When the batch last moved the item; null if it did not. */
  Instant updatedAt() {
    return updatedAt;
  }

  boolean changed() {
    return updatedAt != null;
  }

  /** A non-final item -> SUCCEEDED. */
  boolean complete(Attempts attempts, Instant at) {
    if (status.isFinal()) {
      return false;
    }
    Attempts a = attempts == null ? Attempts.NONE : attempts;
    return move(ItemStatus.SUCCEEDED, a.failures(), a.interruptions(), lastError, at);
  }

  /** A non-final item records a failure; it becomes FAILED when {@code terminal}. */
  boolean fail(String reason, int failures, boolean terminal, Instant at) {
    if (status.isFinal()) {
      return false;
    }
    ItemStatus to = terminal ? ItemStatus.FAILED : ItemStatus.PENDING;
    return move(to, failures, interruptions, reason, at);
  }

  /** A worker started the item under {@code attempts}: PENDING -> RUNNING. */
  boolean start(Attempts attempts, Instant at) {
    Attempts a = attempts == null ? Attempts.NONE : attempts;
    if (status != ItemStatus.PENDING
        || failures > a.failures()
        || interruptions > a.interruptions()) {
      return false;
    }
    return move(ItemStatus.RUNNING, failures, a.interruptions(), lastError, at);
  }

  /** A worker gave back the lease it held under {@code attempts}: RUNNING -> PENDING. */
  boolean release(Attempts attempts, Instant at) {
    Attempts a = attempts == null ? Attempts.NONE : attempts;
    if (status != ItemStatus.RUNNING || interruptions > a.interruptions()) {
      return false;
    }
    return move(ItemStatus.PENDING, failures, interruptions, lastError, at);
  }

  private boolean move(ItemStatus to, int f, int i, String error, Instant at) {
    status = to;
    failures = f;
    interruptions = i;
    lastError = error;
    updatedAt = at;
    return true;
  }
}
