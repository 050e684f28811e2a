package dev.spotbatch.dispatcher.fleet;

import dev.spotbatch.event.ItemEvent;
import dev.spotbatch.event.WorkerEvent;
import dev.spotbatch.event.WorkerStopped;
import dev.spotbatch.model.Attempts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which machine holds which item, as the dispatcher learns it from the worker events it consumes:
 * for providers whose workers cannot be asked (an Auto Scaling instance has no health endpoint the
 * dispatcher reaches), so the autoscaler can tell an idle instance from a busy one.
 *
 * <p>An {@code ItemStarted} opens a lease on the instance it names; the item's completion, failure,
 * checkpoint or release closes it; a {@code WorkerStopped} closes all of the instance's. Events
 * arrive in any order and more than once, so a closed lease is remembered for {@code memory} and a
 * late or repeated start of it does not open it again. A queue delivers an item to one lease holder
 * at a time (a worker stops work whose lease it could not extend), so a start on another machine,
 * or the item's end anywhere, closes what an earlier holder never reported (it crashed, or
 * abandoned the item). Keyed by instance id, the id every event carries in its instance facts.
 * Thread-safe.
 */
public final class WorkerLeases {
  private static final Logger log = LoggerFactory.getLogger(WorkerLeases.class);

  private record Lease(String itemId, String instanceId, String lease, Instant since) {}

  private final Clock clock;
  private final Duration memory;
  private final Map<String, Lease> byItem = new HashMap<>();
  private final Map<String, Instant> closed = new HashMap<>();
  private Supplier<Map<String, String>> seed;

  /**
   * @param memory how long a closed lease is remembered against late starts (at least the event
   *     queue's redelivery time)
   * @param seed the items found running at start-up (the dispatcher keeps no leases across a
   *     restart), item id to the instance that last reported on it; read on first use, and again
   *     until it answers
   */
  public WorkerLeases(Clock clock, Duration memory, Supplier<Map<String, String>> seed) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.memory = Objects.requireNonNull(memory, "memory");
    this.seed = Objects.requireNonNull(seed, "seed");
    if (memory.isNegative() || memory.isZero()) {
      throw new IllegalArgumentException("memory must be > 0");
    }
  }

  /** Takes in one consumed event (applied, duplicate or ignored alike). */
  public synchronized void observe(WorkerEvent event) {
    seeded();
    prune(clock.instant());
    event.match(
        this::item,
        draining -> null, // a draining worker still holds its leases until it reports them
        this::stopped);
  }

  private void seeded() {
    if (seed == null) {
      return;
    }
    Map<String, String> running;
    try {
      running = seed.get();
    } catch (RuntimeException e) {
      log.warn("reading the running items failed; trying again on next use: {}", e.toString());
      return;
    }
    seed = null;
    Instant now = clock.instant();
    running.forEach(
        (item, instance) -> byItem.putIfAbsent(item, new Lease(item, instance, "seed", now)));
  }

  /** The leases the instance holds as far as the events tell. */
  public synchronized int active(String instanceId) {
    seeded();
    int n = 0;
    for (Lease l : byItem.values()) {
      if (l.instanceId().equals(instanceId)) {
        n++;
      }
    }
    return n;
  }

  private Void item(ItemEvent e) {
    String instance = e.instance().instanceId();
    String lease = lease(e);
    e.matchItem(
        completed -> end(e.itemId(), instance, lease, true),
        failed -> end(e.itemId(), instance, lease, false),
        checkpointed -> end(e.itemId(), instance, lease, false),
        started -> start(e.itemId(), instance, lease, e.at()),
        released -> end(e.itemId(), instance, lease, false));
    return null;
  }

  private Void start(String itemId, String instance, String lease, Instant at) {
    if (closed.containsKey(key(itemId, instance, lease))) {
      return null; // a late or repeated start of a lease that already ended
    }
    // one holder at a time: whoever held it before lost its lease without telling
    byItem.put(itemId, new Lease(itemId, instance, lease, at));
    return null;
  }

  /**
   * Closes the lease {@code instance} held on the item; with {@code anyHolder} (the item succeeded)
   * whoever holds it: no lease on a finished item is left.
   */
  private Void end(String itemId, String instance, String lease, boolean anyHolder) {
    closed.put(key(itemId, instance, lease), clock.instant());
    Lease open = byItem.get(itemId);
    if (open != null && (anyHolder || open.instanceId().equals(instance))) {
      byItem.remove(itemId);
    }
    return null;
  }

  private Void stopped(WorkerStopped e) {
    String instance = e.instance().instanceId();
    byItem.values().removeIf(l -> l.instanceId().equals(instance));
    return null;
  }

  private void prune(Instant now) {
    Instant before = now.minus(memory);
    for (Iterator<Instant> it = closed.values().iterator(); it.hasNext(); ) {
      if (it.next().isBefore(before)) {
        it.remove();
      }
    }
  }

  /**
   * One lease's identity: every event of a lease carries the time its work started (a lease of the
   * same item taken again later, even with the same attempts after an outage, starts anew).
   */
  private static String lease(ItemEvent e) {
    Attempts a = e.attempts();
    return (e.startedAt() == null ? "-" : e.startedAt().toString())
        + "/"
        + (a == null ? "-" : a.failures() + "/" + a.interruptions());
  }

  private static String key(String itemId, String instance, String lease) {
    return itemId + "|" + instance + "|" + lease;
  }
}
