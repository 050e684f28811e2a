package dev.spotbatch.worker.lease;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** Free processing slots: reserved before leasing so a worker never leases more than it can run. */
final class Slots {
  private final Semaphore permits;

  Slots(int concurrency) {
    this.permits = new Semaphore(concurrency);
  }

  /**
   * Waits up to {@code waitMillis} for one slot, then takes every other free one too.
   *
   * @return slots reserved (0 if none came free in time)
   */
  int reserve(long waitMillis) throws InterruptedException {
    if (!permits.tryAcquire(waitMillis, TimeUnit.MILLISECONDS)) {
      return 0;
    }
    return 1 + permits.drainPermits();
  }

  void release(int n) {
    if (n > 0) {
      permits.release(n);
    }
  }

  int free() {
    return permits.availablePermits();
  }
}
