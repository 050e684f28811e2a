package dev.spotbatch.worker.item;

import dev.spotbatch.queue.QueueException;
import dev.spotbatch.resilience.TransientErrors;
import dev.spotbatch.store.StoreException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Tells an outage from a failure of the work: a store or queue call that failed because the service
 * was unreachable or failing on its side. The item is not at fault then: it waits on the queue and
 * keeps its failure budget, so a 30-second storage outage never fails a job.
 */
final class Outages {
  private static final int MAX_DEPTH = 16;

  private Outages() {}

  /**
   * True when {@code error} (or a cause) is a {@link StoreException} or {@link QueueException}
   * caused by a transient error ({@link TransientErrors#isTransient}), a Kafka retriable error, or
   * a circuit breaker that is open.
   */
  static boolean isOutage(Throwable error) {
    boolean adapter = false;
    int depth = 0;
    for (Throwable t = error; t != null && depth < MAX_DEPTH; t = t.getCause(), depth++) {
      if (t instanceof StoreException || t instanceof QueueException) {
        adapter = true;
      } else if (adapter
          && (t instanceof CallNotPermittedException
              || t instanceof RetriableException
              || TransientErrors.isTransient(t))) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
