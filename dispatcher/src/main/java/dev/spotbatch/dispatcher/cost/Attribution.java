package dev.spotbatch.dispatcher.cost;

import dev.spotbatch.dispatcher.job.UsageRow;
import dev.spotbatch.model.InstanceFacts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Splits each machine's time over the work it ran: at every moment the machine's time goes in equal
 * shares to the items running then (two items side by side get half each, not the full time each),
 * and the moments with no item running are the machine's idle time (boot, waiting for work,
 * draining), which belongs to the fleet, not to a job. So for every machine, the shares of its
 * items plus its idle time equal its machine time, and summed over jobs and fleet overhead they
 * equal the machine time billed. A pure function of its inputs.
 */
public final class Attribution {
  private Attribution() {}

  /**
   * One machine's time in the window.
   *
   * @param session the machine's reported session; null when only its work is known (its machine
   *     time is then the union of its work, with no idle time)
   */
  public record MachineTime(
      String instanceId,
      InstanceFacts instance,
      MachineSession session,
      double machineSeconds,
      double busySeconds) {
    public double idleSeconds() {
      return Math.max(0, machineSeconds - busySeconds);
    }

    public String poolKey() {
      return session != null ? session.poolKey() : PoolKey.of(instance).name();
    }
  }

  /**
   * The split.
   *
   * @param shareSeconds per usage row (by event id): the machine-seconds it is charged
   * @param machines per machine: its time, busy and idle
   */
  public record Result(Map<String, Double> shareSeconds, List<MachineTime> machines) {
    public double share(UsageRow row) {
      return shareSeconds.getOrDefault(row.eventId(), 0.0);
    }
  }

  /**
   * Splits the machine time of {@code sessions} and of the machines {@code rows} ran on, inside
   * {@code [from, to)}.
   *
   * @param from null: from the beginning
   * @param to the window's end; running sessions count up to it
   */
  public static Result split(
      Collection<MachineSession> sessions, Collection<UsageRow> rows, Instant from, Instant to) {
    Map<String, MachineSession> byInstance = new LinkedHashMap<>();
    for (MachineSession s : sessions) {
      byInstance.put(s.instanceId(), s);
    }
    Map<String, List<UsageRow>> work = new LinkedHashMap<>();
    for (UsageRow r : rows) {
      work.computeIfAbsent(r.instance().instanceId(), k -> new ArrayList<>()).add(r);
      byInstance.putIfAbsent(r.instance().instanceId(), null);
    }
    Map<String, Double> shares = new HashMap<>();
    List<MachineTime> machines = new ArrayList<>();
    for (Map.Entry<String, MachineSession> e : byInstance.entrySet()) {
      MachineSession s = e.getValue();
      List<UsageRow> mine = work.getOrDefault(e.getKey(), List.of());
      long lo = from == null ? Long.MIN_VALUE : from.toEpochMilli();
      long hi = to.toEpochMilli();
      if (s != null) {
        lo = Math.max(lo, s.start().toEpochMilli());
        hi = Math.min(hi, s.endOr(to).toEpochMilli());
      }
      double busy = sweep(mine, lo, hi, shares);
      double machine = s != null ? Math.max(0, hi - lo) / 1000.0 : busy;
      InstanceFacts facts = s != null ? s.instance() : mine.get(0).instance();
      machines.add(new MachineTime(e.getKey(), facts, s, machine, busy));
    }
    return new Result(Map.copyOf(shares), List.copyOf(machines));
  }

  /** Adds each row's share of {@code [lo, hi)} to {@code shares}; returns the busy seconds. */
  private static double sweep(List<UsageRow> rows, long lo, long hi, Map<String, Double> shares) {
    if (rows.isEmpty() || hi <= lo) {
      rows.forEach(r -> shares.merge(r.eventId(), 0.0, Double::sum));
      return 0;
    }
    TreeSet<Long> points = new TreeSet<>();
    long[][] spans = new long[rows.size()][2];
    for (int i = 0; i < rows.size(); i++) {
      UsageRow r = rows.get(i);
      long s = Math.max(lo, r.startedAt().toEpochMilli());
      long t = Math.min(hi, r.at().toEpochMilli());
      spans[i][0] = s;
      spans[i][1] = Math.max(s, t);
      points.add(spans[i][0]);
      points.add(spans[i][1]);
    }
    // walk the boundaries once, keeping the set of items running in each segment
    Map<Long, List<Integer>> starting = new HashMap<>();
    Map<Long, List<Integer>> ending = new HashMap<>();
    for (int i = 0; i < spans.length; i++) {
      if (spans[i][1] > spans[i][0]) {
        starting.computeIfAbsent(spans[i][0], k -> new ArrayList<>()).add(i);
        ending.computeIfAbsent(spans[i][1], k -> new ArrayList<>()).add(i);
      }
    }
    double[] share = new double[rows.size()];
    Set<Integer> active = new LinkedHashSet<>();
    double busy = 0;
    Long prev = null;
    for (long p : points) {
      if (prev != null && p > prev && !active.isEmpty()) {
        double seconds = (p - prev) / 1000.0;
        busy += seconds;
        for (int i : active) {
          share[i] += seconds / active.size();
        }
      }
      active.removeAll(ending.getOrDefault(p, List.of()));
      active.addAll(starting.getOrDefault(p, List.of()));
      prev = p;
    }
    for (int i = 0; i < rows.size(); i++) {
      shares.merge(rows.get(i).eventId(), share[i], Double::sum);
    }
    return busy;
  }
}
