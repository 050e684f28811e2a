package dev.spotbatch.queue;

import dev.spotbatch.model.WorkItem;
import java.util.List;

/**
 * The dispatcher's end of the work queue: puts planned items on it and reports its depth. What a
 * worker does with the items (lease, extend, complete, ...) is {@link WorkSource}.
 *
 * <p>Adapters are thread-safe unless they say otherwise.
 */
public interface WorkSubmitter extends AutoCloseable {

  /** Puts items on the queue, visible at once. Batches internally. */
  void send(List<WorkItem> items);

  /**
   * Approximate queue depth. A broker that cannot tell waiting items from leased ones (Kafka share
   * groups report only the unacknowledged records) says so: {@link QueueStats#inFlight()} is empty.
   */
  QueueStats stats();

  @Override
  void close();
}
