package dev.spotbatch.worker.drain;

import dev.spotbatch.worker.lease.ActiveItems;
import dev.spotbatch.worker.lease.LeaseLoop;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Runs an action on a thread of its own once no item runs and the lease loop has ended (a lease
 * call in flight when leasing stopped may still bring items), checking every tick; gives up when
 * {@code cancelled} turns true first or the thread is interrupted.
 */
final class WhenIdle {
  private WhenIdle() {}

  static void run(
      ActiveItems items,
      LeaseLoop leaseLoop,
      BooleanSupplier cancelled,
      Duration tick,
      Runnable action) {
    Thread t =
        new Thread(
            () -> {
              try {
                while (!cancelled.getAsBoolean() && (items.size() > 0 || leaseLoop.isLoopAlive())) {
                  Thread.sleep(Math.max(1, tick.toMillis()));
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
              }
              if (!cancelled.getAsBoolean()) {
                action.run();
              }
            },
            "drainer-when-idle");
    t.setDaemon(true);
    t.start();
  }
}
