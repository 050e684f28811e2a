package dev.spotbatch.worker.notice.aws;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingInstanceDetails;

/**
 * Completes this instance's termination lifecycle action once its drain is done. Auto Scaling holds
 * a terminating instance in {@code Terminating:Wait} until the hook is completed or its heartbeat
 * timeout passes; while a drain may run past that timeout, {@link #tick()} (called every few
 * seconds by the drain's loop) sends {@code RecordLifecycleActionHeartbeat}, which restarts the
 * timeout. {@link #complete()} sends {@code CompleteLifecycleAction} with {@code CONTINUE}, so the
 * instance goes as soon as the drain has handed back or finished its work. Neither call throws: the
 * hook's own {@code DefaultResult=CONTINUE} is the safety net for a worker that dies draining.
 *
 * <p>The action began when Auto Scaling set {@code target-lifecycle-state} to {@code Terminated},
 * which the worker sees up to one metadata poll later: {@code heartbeatLead} must cover that poll
 * interval plus one call's time. The group's name comes from configuration, the instance's tags
 * ({@code aws:autoscaling:groupName}, with instance metadata tags on) or {@link #groupOf}.
 *
 * <p>The client's retries are the SDK's (configured where the client is built); this class never
 * retries by itself beyond the next {@link #tick()}.
 */
public final class LifecycleActionCompleter {
  private static final Logger log = LoggerFactory.getLogger(LifecycleActionCompleter.class);

  /**
   * The termination lifecycle hook.
   *
   * @param heartbeatTimeout the hook's {@code HeartbeatTimeout}
   */
  public record Hook(String groupName, String hookName, Duration heartbeatTimeout) {
    public Hook {
      Objects.requireNonNull(groupName, "groupName");
      Objects.requireNonNull(hookName, "hookName");
      if (heartbeatTimeout == null || heartbeatTimeout.isNegative() || heartbeatTimeout.isZero()) {
        throw new IllegalArgumentException("heartbeatTimeout must be > 0");
      }
    }
  }

  /** How completing ended. */
  public enum Completion {
    /** Auto Scaling took the CONTINUE. */
    COMPLETED,
    /** No action was waiting: it had already timed out or been completed. */
    NO_ACTION,
    /** The call failed; the hook's timeout and default result will end the wait. */
    FAILED
  }

  /** One of the two calls this class makes. */
  public enum Call {
    HEARTBEAT,
    COMPLETE
  }

  /** How one call ended. */
  public enum CallOutcome {
    /** Auto Scaling took it. */
    ACCEPTED,
    /** No action was waiting for this instance (timed out, completed, or never started). */
    NO_ACTION,
    /** It failed after the SDK's retries. */
    FAILED
  }

  /** Hears how every call ended (metrics); must not throw. */
  @FunctionalInterface
  public interface CallListener {
    void ended(Call call, CallOutcome outcome);
  }

  private final AutoScalingClient client;
  private final Hook hook;
  private final String instanceId;
  private final Clock clock;
  private final Duration heartbeatLead;
  private final CallListener listener;
  private Instant expires;
  private boolean done;

  public LifecycleActionCompleter(
      AutoScalingClient client, Hook hook, String instanceId, Clock clock, Duration heartbeatLead) {
    this(client, hook, instanceId, clock, heartbeatLead, (call, outcome) -> {});
  }

  /**
   * @param heartbeatLead how long before the action would time out a heartbeat is sent: at least
   *     the metadata poll interval, the tick interval and one call's time (retries included)
   */
  public LifecycleActionCompleter(
      AutoScalingClient client,
      Hook hook,
      String instanceId,
      Clock clock,
      Duration heartbeatLead,
      CallListener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
    this.client = Objects.requireNonNull(client, "client");
    this.hook = Objects.requireNonNull(hook, "hook");
    this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (heartbeatLead == null
        || heartbeatLead.isNegative()
        || heartbeatLead.compareTo(hook.heartbeatTimeout()) >= 0) {
      throw new IllegalArgumentException(
          "heartbeatLead must be >= 0 and shorter than the hook's heartbeat timeout "
              + hook.heartbeatTimeout());
    }
    this.heartbeatLead = heartbeatLead;
  }

  /** The lifecycle action began no later than {@code seenAt} (when the notice was detected). */
  public synchronized void started(Instant seenAt) {
    if (expires == null) {
      expires = seenAt.plus(hook.heartbeatTimeout());
    }
  }

  /** When the action times out unless extended; null before {@link #started}. */
  public synchronized Instant expires() {
    return expires;
  }

  /**
   * Sends a heartbeat when the action would time out within the lead; true when one was accepted.
   * Never throws: a failed heartbeat is tried again on the next tick while time is left.
   */
  public synchronized boolean tick() {
    if (done || expires == null) {
      return false;
    }
    Instant now = clock.instant();
    if (now.isBefore(expires.minus(heartbeatLead))) {
      return false;
    }
    try {
      client.recordLifecycleActionHeartbeat(
          b ->
              b.autoScalingGroupName(hook.groupName())
                  .lifecycleHookName(hook.hookName())
                  .instanceId(instanceId));
      expires = now.plus(hook.heartbeatTimeout());
      listener.ended(Call.HEARTBEAT, CallOutcome.ACCEPTED);
      log.info(
          "lifecycle hook {} of {}: heartbeat, the drain may run until {}",
          hook.hookName(),
          instanceId,
          expires);
      return true;
    } catch (SdkException e) {
      listener.ended(
          Call.HEARTBEAT,
          e instanceof AwsServiceException a && noActiveAction(a)
              ? CallOutcome.NO_ACTION
              : CallOutcome.FAILED);
      log.warn(
          "lifecycle hook {} of {}: heartbeat failed ({}); the action times out at {}",
          hook.hookName(),
          instanceId,
          describe(e),
          expires);
      return false;
    }
  }

  /** Tells Auto Scaling to go on terminating (CONTINUE); once; never throws. */
  public synchronized Completion complete() {
    if (done) {
      return Completion.NO_ACTION;
    }
    try {
      client.completeLifecycleAction(
          b ->
              b.autoScalingGroupName(hook.groupName())
                  .lifecycleHookName(hook.hookName())
                  .instanceId(instanceId)
                  .lifecycleActionResult("CONTINUE"));
      done = true;
      listener.ended(Call.COMPLETE, CallOutcome.ACCEPTED);
      log.info("lifecycle hook {} of {}: completed (CONTINUE)", hook.hookName(), instanceId);
      return Completion.COMPLETED;
    } catch (AwsServiceException e) {
      if (noActiveAction(e)) {
        done = true;
        listener.ended(Call.COMPLETE, CallOutcome.NO_ACTION);
        log.info(
            "lifecycle hook {} of {}: no action waiting ({})",
            hook.hookName(),
            instanceId,
            describe(e));
        return Completion.NO_ACTION;
      }
      listener.ended(Call.COMPLETE, CallOutcome.FAILED);
      log.warn(
          "lifecycle hook {} of {}: completing failed ({})",
          hook.hookName(),
          instanceId,
          describe(e));
      return Completion.FAILED;
    } catch (SdkException e) {
      listener.ended(Call.COMPLETE, CallOutcome.FAILED);
      log.warn(
          "lifecycle hook {} of {}: completing failed ({})",
          hook.hookName(),
          instanceId,
          describe(e));
      return Completion.FAILED;
    }
  }

  /**
   * The Auto Scaling group of {@code instanceId} ({@code DescribeAutoScalingInstances}); empty when
   * it is in none or the call fails.
   */
  public static Optional<String> groupOf(AutoScalingClient client, String instanceId) {
    try {
      return client
          .describeAutoScalingInstances(b -> b.instanceIds(instanceId))
          .autoScalingInstances()
          .stream()
          .filter(i -> instanceId.equals(i.instanceId()))
          .map(AutoScalingInstanceDetails::autoScalingGroupName)
          .findFirst();
    } catch (SdkException e) {
      log.warn("cannot find the Auto Scaling group of {}: {}", instanceId, describe(e));
      return Optional.empty();
    }
  }

  // "No active Lifecycle Action found with instance ID i-..." (ValidationError)
  private static boolean noActiveAction(AwsServiceException e) {
    return e.awsErrorDetails() != null
        && "ValidationError".equals(e.awsErrorDetails().errorCode())
        && String.valueOf(e.awsErrorDetails().errorMessage())
            .contains("No active Lifecycle Action");
  }

  private static String describe(SdkException e) {
    if (e instanceof AwsServiceException a && a.awsErrorDetails() != null) {
      return a.awsErrorDetails().errorCode() + ": " + a.awsErrorDetails().errorMessage();
    }
    return String.valueOf(e.getMessage());
  }
}
