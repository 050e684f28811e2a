package dev.spotbatch.dispatcher.fleet.autoscale;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Since when each worker has held no lease, as seen tick by tick: a lease seen resets it, and a
 * worker not seen is forgotten. Used by one thread (the autoscaler's).
 */
final class IdleTracker {
  private final Map<String, Instant> idleSince = new HashMap<>();

  /**
   * Notes what {@code workerId} holds now and returns since when it has been idle; null when it
   * holds a lease or its leases are unknown.
   */
  Instant observe(String workerId, Integer leases, Instant now) {
    if (leases == null || leases > 0) {
      idleSince.remove(workerId);
      return null;
    }
    return idleSince.computeIfAbsent(workerId, id -> now);
  }

  /** Forgets workers that are gone. */
  void retain(Set<String> present) {
    idleSince.keySet().retainAll(present);
  }
}
