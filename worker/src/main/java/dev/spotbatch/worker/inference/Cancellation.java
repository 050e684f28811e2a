package dev.spotbatch.worker.inference;

import java.util.concurrent.CompletableFuture;

/**
 * Raised once an item's records are no longer wanted (the drain handed it back, told it to
 * checkpoint, or it was abandoned). A {@link Batcher} drops the queued records submitted with it,
 * fails their chunks with a {@link java.util.concurrent.CancellationException} (which wakes a
 * thread waiting for them) and makes a submit blocked on a full queue give up. Records a model is
 * already running are not affected. Thread-safe; cancelling twice is a no-op.
 */
public final class Cancellation {
  private final CompletableFuture<Void> cancelled = new CompletableFuture<>();
  private final CompletableFuture<Void> signal = cancelled.copy();

  /** Raises the flag and runs every {@link #onCancel} action (on this thread) the first time. */
  public void cancel() {
    cancelled.complete(null);
  }

  public boolean isCancelled() {
    return cancelled.isDone();
  }

  /**
   * Completes when cancelled: wait on it together with a result ({@code anyOf}) to wake at once.
   * Completing it does not cancel.
   */
  public CompletableFuture<Void> signal() {
    return signal;
  }

  /** Runs {@code action} once when cancelled, at once if it already is. */
  public void onCancel(Runnable action) {
    cancelled.thenRun(action);
  }
}
