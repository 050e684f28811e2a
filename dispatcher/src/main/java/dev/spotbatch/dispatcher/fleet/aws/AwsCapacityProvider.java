package dev.spotbatch.dispatcher.fleet.aws;

import dev.spotbatch.dispatcher.fleet.CapacityProvider;
import dev.spotbatch.dispatcher.fleet.Pool;
import dev.spotbatch.dispatcher.fleet.WorkerLeases;
import dev.spotbatch.dispatcher.fleet.WorkerState;
import dev.spotbatch.dispatcher.fleet.WorkerView;
import dev.spotbatch.dispatcher.fleet.scaling.PoolIncident;
import dev.spotbatch.model.InstanceFacts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;

/**
 * The {@link CapacityProvider} port over AWS Auto Scaling, one group per pool: the pools as
 * configured, each group's desired capacity, and its instances as workers (the worker id is the
 * instance id, which the workers' Terraform sets as their {@code spotbatch.worker.id}), each with
 * the leases the dispatcher's events say it holds ({@link WorkerLeases}): an instance has no health
 * endpoint the dispatcher reaches, so that is how the autoscaler tells an idle one. Every instance
 * is kept protected from scale-in, so the group never picks a victim itself; {@link #scaleIn}
 * removes only an instance that holds no lease. Never throws from {@link #refresh()}: a failed
 * describe keeps the last view.
 */
public final class AwsCapacityProvider implements CapacityProvider {
  private static final Logger log = LoggerFactory.getLogger(AwsCapacityProvider.class);

  /** The provider's name in the API and in every pool. */
  public static final String NAME = "aws";

  private final AutoScalingClient client;
  private final AwsAutoScalingCapacity capacity;
  private final String region;
  private final WorkerLeases leases;
  private final Map<String, Pool> pools = new LinkedHashMap<>();
  private final Map<String, String> groups = new LinkedHashMap<>();
  private final Map<String, Integer> asked = new ConcurrentHashMap<>();
  private volatile Map<String, GroupState> last = Map.of();

  /**
   * @param pools each pool with its group ({@code provider} must be {@value #NAME})
   * @param region labels the workers' instance facts
   * @param leases which instance holds which item, from the workers' events
   */
  public AwsCapacityProvider(
      AutoScalingClient client,
      AwsAutoScalingCapacity capacity,
      Map<Pool, String> pools,
      String region,
      WorkerLeases leases) {
    this.client = Objects.requireNonNull(client, "client");
    this.capacity = Objects.requireNonNull(capacity, "capacity");
    this.region = region;
    this.leases = Objects.requireNonNull(leases, "leases");
    pools.forEach(
        (pool, group) -> {
          if (!NAME.equals(pool.provider())) {
            throw new IllegalArgumentException("pool " + pool.name() + " is not an aws pool");
          }
          this.pools.put(pool.name(), pool);
          this.groups.put(pool.name(), group);
        });
    if (this.pools.isEmpty()) {
      throw new IllegalArgumentException("the AWS provider needs at least one pool");
    }
  }

  /** The pool-to-group mapping {@link AwsAutoScalingCapacity} takes. */
  public static List<AsgPool> asgPools(Map<Pool, String> pools) {
    List<AsgPool> out = new ArrayList<>();
    pools.forEach((pool, group) -> out.add(new AsgPool(pool.name(), group)));
    return out;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Pool> pools() {
    return List.copyOf(pools.values());
  }

  /** The group's desired capacity as last described, else what was last asked, else 0. */
  @Override
  public int desired(Pool pool) {
    GroupState s = last.get(pool.name());
    if (s != null) {
      return s.desired();
    }
    return asked.getOrDefault(pool.name(), 0);
  }

  /**
   * {@code SetDesiredCapacity} on the pool's group. A call AWS does not take (throttled past the
   * SDK's retries, a scaling activity in progress, above the group's maximum) is logged; the caller
   * asks again on its next round.
   */
  @Override
  public void setDesired(Pool pool, int count) {
    if (count < 0) {
      throw new IllegalArgumentException("desired capacity must be >= 0, was " + count);
    }
    String group = groups.get(pool.name());
    if (group == null || !pools.get(pool.name()).equals(pool)) {
      throw new IllegalArgumentException(
          "pool " + pool.name() + " is not one of the AWS pools " + pools.keySet());
    }
    ApplyResult r = capacity.setDesired(group, count);
    if (r.applied()) {
      asked.put(pool.name(), count);
      remember(pool, count);
    } else {
      log.warn("{}: {} ({})", r.action(), r.outcome(), r.message());
    }
  }

  private void lowerDesired(Pool pool, int by) {
    int now = desired(pool);
    asked.put(pool.name(), Math.max(0, now - by));
    remember(pool, Math.max(0, now - by));
  }

  /** Keeps the last view's desired count as asked, until the next describe. */
  private void remember(Pool pool, int count) {
    GroupState s = last.get(pool.name());
    if (s != null) {
      Map<String, GroupState> next = new LinkedHashMap<>(last);
      next.put(
          pool.name(),
          new GroupState(
              s.pool(),
              s.groupName(),
              count,
              s.minSize(),
              s.maxSize(),
              s.newInstancesProtected(),
              s.instances()));
      last = Map.copyOf(next);
    }
  }

  @Override
  public void refresh() {
    try {
      Map<String, GroupState> next = new LinkedHashMap<>();
      for (GroupState s : capacity.describe()) {
        next.put(s.pool(), s);
      }
      last = Map.copyOf(next);
    } catch (SdkException e) {
      log.warn("describing the worker groups failed; keeping the last view: {}", e.toString());
      return;
    }
    for (ApplyResult r : capacity.protect()) {
      if (!r.applied()) {
        log.warn("{}: {} ({})", r.action(), r.outcome(), r.message());
      }
    }
  }

  /** Every instance of every pool's group, pools in configured order. */
  @Override
  public List<WorkerView> workers() {
    List<WorkerView> workers = new ArrayList<>();
    Map<String, GroupState> now = last;
    for (Pool pool : pools.values()) {
      GroupState s = now.get(pool.name());
      if (s == null) {
        continue;
      }
      for (GroupInstance i : s.instances()) {
        InstanceFacts facts =
            new InstanceFacts(
                NAME,
                i.instanceId(),
                i.instanceType() != null ? i.instanceType() : pool.instanceType(),
                region,
                i.zone() != null ? i.zone() : pool.zone(),
                pool.lifecycle());
        WorkerState state = state(i);
        // an instance in service holds what the events say; before or after that, nothing known
        WorkerView.LeaseReport report =
            state == WorkerState.RUNNING
                ? new WorkerView.LeaseReport(leases.active(i.instanceId()), null)
                : null;
        workers.add(
            new WorkerView(
                i.instanceId(),
                state,
                0,
                new WorkerView.Machine(1, facts, null, null, null, null),
                report,
                null,
                List.of()));
      }
    }
    return workers;
  }

  /**
   * Removes an idle instance the autoscaler named: lifts its protection and terminates it with a
   * decrement ({@link AwsAutoScalingCapacity#remove}). Refused when the events show a lease taken
   * since the autoscaler's snapshot. The instance's worker still drains through the termination
   * lifecycle hook, so a lease it took whose start has not reached the dispatcher yet is handed
   * back, not lost.
   */
  @Override
  public boolean scaleIn(Pool pool, String workerId) {
    if (!pools.containsKey(pool.name())) {
      return false;
    }
    int held = leases.active(workerId);
    if (held > 0) {
      log.info("not scaling in {}: it took {} lease(s) since the snapshot", workerId, held);
      return false;
    }
    List<ApplyResult> results = capacity.remove(pool.name(), workerId);
    boolean removed = results.size() == 2 && results.get(1).applied();
    if (removed) {
      lowerDesired(pool, 1); // ShouldDecrementDesiredCapacity did it on AWS's side
    }
    for (ApplyResult r : results) {
      if (!r.applied()) {
        log.warn("{}: {} ({})", r.action(), r.outcome(), r.message());
      }
    }
    return removed;
  }

  /** Failed launches of the recent window ({@code DescribeScalingActivities}) as incidents. */
  @Override
  public List<PoolIncident> launchFailures() {
    try {
      return AwsAutoScalingCapacity.incidents(capacity.launchFailures());
    } catch (SdkException e) {
      log.warn("reading the groups' scaling activities failed: {}", e.toString());
      return List.of();
    }
  }

  /** The Auto Scaling calls the autoscaler's plans need (removals, protection, failed launches). */
  public AwsAutoScalingCapacity capacity() {
    return capacity;
  }

  /** The group of a pool. */
  public String groupOf(Pool pool) {
    return groups.get(pool.name());
  }

  static WorkerState state(GroupInstance i) {
    String s = i.lifecycleState() == null ? "" : i.lifecycleState();
    if (s.startsWith("Pending")) {
      return WorkerState.STARTING;
    }
    if (s.equals("InService")) {
      return i.healthy() ? WorkerState.RUNNING : WorkerState.LOST;
    }
    if (s.equals("Terminated")) {
      return WorkerState.STOPPED;
    }
    if (s.startsWith("Terminat")) {
      return WorkerState.DRAINING; // Terminating, Terminating:Wait (the drain holds the hook)
    }
    return WorkerState.STOPPED; // Detaching, Detached, Standby, Warmed:*
  }

  @Override
  public void close() {
    try {
      client.close();
    } catch (RuntimeException e) {
      log.warn("closing the Auto Scaling client failed: {}", e.toString());
    }
  }
}
