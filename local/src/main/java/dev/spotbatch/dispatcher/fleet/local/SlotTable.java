package dev.spotbatch.dispatcher.fleet.local;

import dev.spotbatch.dispatcher.fleet.Pool;
import dev.spotbatch.dispatcher.fleet.WorkerState;
import dev.spotbatch.dispatcher.fleet.WorkerView;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The local fleet's bookkeeping: its worker slots by number, the slots retired from it (scaled in
 * or taken away, kept for their history), the desired count per pool and the numbering of new
 * slots. Guarded by the {@link ProcessSupervisor}'s monitor.
 */
final class SlotTable {
  private final LocalInstance.Pools pools;
  private final FleetSizing sizing;
  private final int historySize;
  private final Map<Integer, WorkerSlot> slots = new TreeMap<>();
  private final Map<String, Integer> desired = new HashMap<>();
  private final Deque<WorkerSlot> retired = new ArrayDeque<>();
  private int nextNumber = 1;

  SlotTable(LocalInstance.Pools pools, FleetSizing sizing, int historySize) {
    this.pools = pools;
    this.sizing = sizing;
    this.historySize = historySize;
  }

  int desired() {
    return desired.values().stream().mapToInt(Integer::intValue).sum();
  }

  int desired(Pool pool) {
    return desired.getOrDefault(pool.name(), 0);
  }

  /** Sets a pool's count; refuses a pool of another fleet, and on-demand for a fixed fleet. */
  void desire(Pool pool, int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0");
    }
    if (!pool.equals(pools.spot()) && !pool.equals(pools.onDemand())) {
      throw new IllegalArgumentException(
          "the local fleet's pools are "
              + pools.spot().name()
              + " and "
              + pools.onDemand().name()
              + ", not "
              + pool);
    }
    if (sizing == FleetSizing.FIXED && !pool.equals(pools.spot())) {
      throw new IllegalArgumentException(
          "a fixed local fleet (spotbatch.fleet.local.workers) has only the pool "
              + pools.spot().name()
              + "; run it under the autoscaler for on-demand workers");
    }
    desired.put(pool.name(), count);
  }

  /** Slot {@code n} of a fixed fleet (all spot), created if missing. */
  WorkerSlot fixed(int n) {
    return slots.computeIfAbsent(n, k -> new WorkerSlot(k, pools.spot()));
  }

  /** A new slot in {@code pool}, with a number never used before in this fleet. */
  WorkerSlot add(Pool pool) {
    int n = nextNumber;
    for (int used : slots.keySet()) {
      n = Math.max(n, used + 1);
    }
    for (WorkerSlot r : retired) {
      n = Math.max(n, r.n + 1);
    }
    nextNumber = n + 1;
    WorkerSlot s = new WorkerSlot(n, pool);
    slots.put(n, s);
    return s;
  }

  /** The slots in the fleet, by number (a copy). */
  List<WorkerSlot> all() {
    return new ArrayList<>(slots.values());
  }

  List<WorkerSlot> in(Pool pool) {
    return new ArrayList<>(slots.values().stream().filter(s -> s.pool.equals(pool)).toList());
  }

  boolean contains(WorkerSlot s) {
    return slots.get(s.n) == s;
  }

  /** Forgets a slot (one without a process, or a fixed fleet's slot above its count). */
  void drop(WorkerSlot s) {
    slots.remove(s.n);
  }

  /** Takes a slot out of the fleet, keeping it for its history, and lowers its pool's count. */
  void retire(WorkerSlot s) {
    if (slots.remove(s.n) == null) {
      return;
    }
    desired.merge(s.pool.name(), -1, (a, b) -> Math.max(0, a + b));
    retired.addFirst(s);
    while (retired.size() > historySize) {
      retired.removeLast();
    }
  }

  List<WorkerSlot> retired() {
    return new ArrayList<>(retired);
  }

  /** The slot of {@code workerId} in the fleet, if there is one. */
  WorkerSlot slot(String workerId) {
    if (workerId == null || !workerId.startsWith("local-")) {
      return null;
    }
    try {
      return slots.get(Integer.parseInt(workerId.substring("local-".length())));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The pool of a worker slot, retired ones included. */
  Optional<Pool> poolOf(String workerId) {
    WorkerSlot s = slot(workerId);
    if (s != null) {
      return Optional.of(s.pool);
    }
    return retired.stream().filter(r -> r.id().equals(workerId)).findFirst().map(r -> r.pool);
  }

  List<String> ids() {
    return slots.values().stream().map(WorkerSlot::id).toList();
  }

  /** Every slot as the fleet reports it; retired ones as STOPPED, even while they exit. */
  List<WorkerView> views(Instant now) {
    List<WorkerView> out = new ArrayList<>();
    for (WorkerSlot s : slots.values()) {
      out.add(s.view(now));
    }
    for (WorkerSlot s : retired) {
      WorkerView v = s.view(now);
      out.add(
          new WorkerView(
              v.id(), WorkerState.STOPPED, v.restarts(), v.machine(), null, null, v.history()));
    }
    return out;
  }
}
