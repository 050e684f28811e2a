package dev.spotbatch.dispatcher.fleet.aws;

import dev.spotbatch.dispatcher.fleet.scaling.IncidentKind;
import dev.spotbatch.dispatcher.fleet.scaling.PoolIncident;
import dev.spotbatch.dispatcher.fleet.scaling.PoolPlan;
import dev.spotbatch.dispatcher.fleet.scaling.ScalingPlan;
import dev.spotbatch.dispatcher.fleet.scaling.WorkerRemoval;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.Activity;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.DescribeAutoScalingGroupsRequest;
import software.amazon.awssdk.services.autoscaling.model.DescribeScalingActivitiesResponse;
import software.amazon.awssdk.services.autoscaling.model.Instance;
import software.amazon.awssdk.services.autoscaling.model.ResourceContentionException;
import software.amazon.awssdk.services.autoscaling.model.ScalingActivityInProgressException;
import software.amazon.awssdk.services.autoscaling.model.ScalingActivityStatusCode;

/**
 * One Auto Scaling group per pool (see the package documentation for why): reads each group's
 * capacity and recent failed launches, and applies a {@link ScalingPlan}: first it removes the idle
 * workers the plan names (lift protection, terminate with decrement), then it sets each group's
 * desired capacity where it differs, and protects any instance found unprotected. It never retries
 * by itself and never throws from {@link #apply}: what did not apply is in the results and is asked
 * for again on the next tick.
 */
public final class AwsAutoScalingCapacity {
  private static final Logger log = LoggerFactory.getLogger(AwsAutoScalingCapacity.class);

  /** Describe calls take at most this many group names each. */
  static final int GROUPS_PER_DESCRIBE = 50;

  /** SetInstanceProtection takes at most this many instances per call. */
  static final int INSTANCES_PER_PROTECT = 50;

  /** Activities read per group each refresh, newest first; older failures have expired anyway. */
  static final int ACTIVITIES_PER_GROUP = 20;

  private final AutoScalingClient client;
  private final Map<String, AsgPool> byPool = new LinkedHashMap<>();
  private final Clock clock;
  private final Duration failureWindow;
  private final Map<String, GroupState> last = new HashMap<>();

  /**
   * @param failureWindow how far back failed launches are reported (at least the block TTL)
   */
  public AwsAutoScalingCapacity(
      AutoScalingClient client, List<AsgPool> pools, Clock clock, Duration failureWindow) {
    this.client = Objects.requireNonNull(client, "client");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.failureWindow = Objects.requireNonNull(failureWindow, "failureWindow");
    for (AsgPool p : pools) {
      if (byPool.put(p.pool(), p) != null) {
        throw new IllegalArgumentException("pool " + p.pool() + " is mapped twice");
      }
    }
  }

  /** The groups now, one per mapped pool, in mapping order ({@code DescribeAutoScalingGroups}). */
  public List<GroupState> describe() {
    Map<String, AsgPool> byGroup = new HashMap<>();
    byPool.values().forEach(p -> byGroup.put(p.groupName(), p));
    List<String> names = new ArrayList<>(byGroup.keySet());
    Map<String, GroupState> found = new HashMap<>();
    for (int i = 0; i < names.size(); i += GROUPS_PER_DESCRIBE) {
      List<String> batch = names.subList(i, Math.min(names.size(), i + GROUPS_PER_DESCRIBE));
      DescribeAutoScalingGroupsRequest request =
          DescribeAutoScalingGroupsRequest.builder().autoScalingGroupNames(batch).build();
      for (AutoScalingGroup g :
          client.describeAutoScalingGroupsPaginator(request).autoScalingGroups()) {
        AsgPool pool = byGroup.get(g.autoScalingGroupName());
        if (pool != null) {
          found.put(pool.pool(), toState(pool, g));
        }
      }
    }
    List<GroupState> states = new ArrayList<>();
    for (AsgPool p : byPool.values()) {
      GroupState s = found.get(p.pool());
      if (s == null) {
        log.warn("Auto Scaling group {} of pool {} not found", p.groupName(), p.pool());
        continue;
      }
      states.add(s);
      last.put(p.pool(), s);
    }
    return states;
  }

  /**
   * Failed launches of the last {@code failureWindow} in every group ({@code
   * DescribeScalingActivities}, newest first), as the autoscaler's incidents. Reporting the same
   * failure on every tick is harmless.
   */
  public List<LaunchFailure> launchFailures() {
    Instant since = clock.instant().minus(failureWindow);
    List<LaunchFailure> failures = new ArrayList<>();
    for (AsgPool p : byPool.values()) {
      DescribeScalingActivitiesResponse r =
          client.describeScalingActivities(
              b -> b.autoScalingGroupName(p.groupName()).maxRecords(ACTIVITIES_PER_GROUP));
      for (Activity a : r.activities()) {
        if (!failedLaunch(a) || a.startTime() == null || a.startTime().isBefore(since)) {
          continue;
        }
        String message = a.statusMessage() != null ? a.statusMessage() : a.description();
        failures.add(
            new LaunchFailure(
                p.pool(),
                p.groupName(),
                a.activityId(),
                a.startTime(),
                LaunchFailureKind.classify(message),
                message));
      }
    }
    return failures;
  }

  /** {@link #launchFailures()} as the autoscaler's incidents. */
  public static List<PoolIncident> incidents(List<LaunchFailure> failures) {
    return failures.stream()
        .map(f -> new PoolIncident(f.pool(), IncidentKind.LAUNCH_FAILURE, f.at(), f.detail()))
        .toList();
  }

  /**
   * Applies a plan: removals first (each lowers its group's desired capacity by one), then desired
   * capacities that differ from the last {@link #describe()}, then protection for unprotected
   * instances. Pools the plan has but no group maps are skipped.
   */
  public List<ApplyResult> apply(ScalingPlan plan) {
    List<ApplyResult> results = new ArrayList<>();
    Map<String, Integer> removed = new HashMap<>();
    for (WorkerRemoval r : plan.removals()) {
      List<ApplyResult> removal = remove(r.pool(), r.workerId());
      results.addAll(removal);
      if (removal.size() == 2 && removal.get(1).applied()) {
        removed.merge(r.pool(), 1, Integer::sum);
      }
    }
    for (PoolPlan p : plan.pools()) {
      AsgPool pool = byPool.get(p.pool());
      GroupState state = last.get(p.pool());
      if (pool == null) {
        continue;
      }
      int known = state == null ? -1 : state.desired() - removed.getOrDefault(p.pool(), 0);
      if (known == p.desired()) {
        continue;
      }
      if (state != null && p.desired() > state.maxSize()) {
        results.add(
            new ApplyResult(
                "SetDesiredCapacity " + pool.groupName() + " " + p.desired(),
                ApplyResult.Outcome.REJECTED,
                "above the group's MaxSize "
                    + state.maxSize()
                    + "; raise it or lower the pool's maximum"));
        continue;
      }
      results.add(setDesired(pool.groupName(), p.desired()));
    }
    results.addAll(protectUnprotected());
    for (ApplyResult r : results) {
      if (!r.applied()) {
        log.warn("{}: {} ({})", r.action(), r.outcome(), r.message());
      }
    }
    return results;
  }

  /**
   * Removes one instance the autoscaler picked as idle: lifts its scale-in protection, then {@code
   * TerminateInstanceInAutoScalingGroup} with {@code ShouldDecrementDesiredCapacity}, so the group
   * does not replace it. The termination stops if the protection was not lifted. Empty when the
   * pool maps no group; never throws.
   */
  public List<ApplyResult> remove(String pool, String instanceId) {
    AsgPool p = byPool.get(pool);
    if (p == null) {
      return List.of();
    }
    ApplyResult unprotect =
        call(
            "SetInstanceProtection " + p.groupName() + " " + instanceId + " false",
            () ->
                client.setInstanceProtection(
                    b ->
                        b.autoScalingGroupName(p.groupName())
                            .instanceIds(instanceId)
                            .protectedFromScaleIn(false)));
    if (!unprotect.applied()) {
      return List.of(unprotect);
    }
    ApplyResult terminate =
        call(
            "TerminateInstanceInAutoScalingGroup " + instanceId,
            () ->
                client.terminateInstanceInAutoScalingGroup(
                    b -> b.instanceId(instanceId).shouldDecrementDesiredCapacity(true)));
    return List.of(unprotect, terminate);
  }

  /** {@code SetDesiredCapacity} without honouring the group's cooldown (the autoscaler paces). */
  public ApplyResult setDesired(String groupName, int desired) {
    return call(
        "SetDesiredCapacity " + groupName + " " + desired,
        () ->
            client.setDesiredCapacity(
                b ->
                    b.autoScalingGroupName(groupName)
                        .desiredCapacity(desired)
                        .honorCooldown(false)));
  }

  /**
   * Makes every group protect the instances it launches from now on ({@code UpdateAutoScalingGroup
   * NewInstancesProtectedFromScaleIn=true}), for groups not created so.
   */
  public List<ApplyResult> protectNewInstances() {
    List<ApplyResult> results = new ArrayList<>();
    for (AsgPool p : byPool.values()) {
      GroupState s = last.get(p.pool());
      if (s != null && s.newInstancesProtected()) {
        continue;
      }
      results.add(
          call(
              "UpdateAutoScalingGroup " + p.groupName() + " NewInstancesProtectedFromScaleIn",
              () ->
                  client.updateAutoScalingGroup(
                      b ->
                          b.autoScalingGroupName(p.groupName())
                              .newInstancesProtectedFromScaleIn(true))));
    }
    return results;
  }

  /**
   * Keeps every instance protected from scale-in, as of the last {@link #describe()}: groups not
   * created so protect new instances from now on, and instances found unprotected once InService
   * are protected. Never throws; what did not apply is tried again on the next call.
   */
  public List<ApplyResult> protect() {
    List<ApplyResult> results = new ArrayList<>(protectNewInstances());
    results.addAll(protectUnprotected());
    return results;
  }

  private List<ApplyResult> protectUnprotected() {
    List<ApplyResult> results = new ArrayList<>();
    for (AsgPool p : byPool.values()) {
      GroupState s = last.get(p.pool());
      if (s == null) {
        continue;
      }
      // protection starts once InService; Pending instances inherit the group's setting
      List<String> ids =
          s.instances().stream()
              .filter(i -> !i.protectedFromScaleIn() && "InService".equals(i.lifecycleState()))
              .map(GroupInstance::instanceId)
              .toList();
      for (int i = 0; i < ids.size(); i += INSTANCES_PER_PROTECT) {
        List<String> batch = ids.subList(i, Math.min(ids.size(), i + INSTANCES_PER_PROTECT));
        results.add(
            call(
                "SetInstanceProtection " + p.groupName() + " " + batch + " true",
                () ->
                    client.setInstanceProtection(
                        b ->
                            b.autoScalingGroupName(p.groupName())
                                .instanceIds(batch)
                                .protectedFromScaleIn(true))));
      }
    }
    return results;
  }

  private static boolean failedLaunch(Activity a) {
    ScalingActivityStatusCode code = a.statusCode();
    boolean failed =
        code == ScalingActivityStatusCode.FAILED || code == ScalingActivityStatusCode.CANCELLED;
    return failed && a.description() != null && a.description().startsWith("Launching");
  }

  private static GroupState toState(AsgPool pool, AutoScalingGroup g) {
    List<GroupInstance> instances = new ArrayList<>();
    for (Instance i : g.instances()) {
      instances.add(
          new GroupInstance(
              i.instanceId(),
              i.instanceType(),
              i.availabilityZone(),
              i.lifecycleStateAsString(),
              "Healthy".equalsIgnoreCase(i.healthStatus()),
              Boolean.TRUE.equals(i.protectedFromScaleIn())));
    }
    return new GroupState(
        pool.pool(),
        g.autoScalingGroupName(),
        orZero(g.desiredCapacity()),
        orZero(g.minSize()),
        orZero(g.maxSize()),
        Boolean.TRUE.equals(g.newInstancesProtectedFromScaleIn()),
        instances);
  }

  private static int orZero(Integer i) {
    return i == null ? 0 : i;
  }

  private static ApplyResult call(String action, Supplier<?> request) {
    try {
      request.get();
      return ApplyResult.applied(action);
    } catch (ScalingActivityInProgressException | ResourceContentionException e) {
      return new ApplyResult(action, ApplyResult.Outcome.DEFERRED, message(e));
    } catch (AwsServiceException e) {
      ApplyResult.Outcome outcome =
          e.statusCode() >= 400 && e.statusCode() < 500 && !e.isThrottlingException()
              ? ApplyResult.Outcome.REJECTED
              : ApplyResult.Outcome.FAILED;
      return new ApplyResult(action, outcome, message(e));
    } catch (SdkException e) {
      return new ApplyResult(action, ApplyResult.Outcome.FAILED, String.valueOf(e.getMessage()));
    }
  }

  private static String message(AwsServiceException e) {
    return e.awsErrorDetails() == null
        ? String.valueOf(e.getMessage())
        : e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage();
  }
}
