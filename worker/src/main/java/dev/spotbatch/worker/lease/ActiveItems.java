package dev.spotbatch.worker.lease;

import dev.spotbatch.queue.Lease;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The leases this worker is working on right now; read by the heartbeat and (later) the drain. */
public final class ActiveItems {
  private final Set<ActiveItem> items = ConcurrentHashMap.newKeySet();

  ActiveItem start(Lease lease, Instant at) {
    ActiveItem item = new ActiveItem(lease, at);
    items.add(item);
    return item;
  }

  void remove(ActiveItem item) {
    items.remove(item);
  }

  public List<ActiveItem> snapshot() {
    return List.copyOf(items);
  }

  public int size() {
    return items.size();
  }
}
