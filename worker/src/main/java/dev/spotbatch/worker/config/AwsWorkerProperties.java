package dev.spotbatch.worker.config;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The worker's Auto Scaling settings ({@code spotbatch.worker.aws.*}): which termination lifecycle
 * hook it completes after its drain, and how it reaches Auto Scaling. Validated once.
 *
 * @param completeLifecycleHook {@code auto}: on when the notice provider is AWS and a hook is named
 *     (here or by the instance tag {@code spotbatch:lifecycle-hook}); {@code off}: never
 * @param lifecycleHook the hook's name; default: the instance tag {@code spotbatch:lifecycle-hook}
 * @param groupName the instance's Auto Scaling group; default: the instance tag {@code
 *     aws:autoscaling:groupName}, else {@code DescribeAutoScalingInstances}
 * @param heartbeatTimeout the hook's {@code HeartbeatTimeout}; a shorter value only sends
 *     heartbeats earlier, a longer one risks the action timing out during a long drain
 * @param heartbeatLead a heartbeat goes this long before the action would time out (covers the
 *     metadata poll, the check interval and one call with its retries)
 * @param heartbeatCheck how often a heartbeat is considered while draining
 * @param region the Auto Scaling region; default: the instance's ({@code placement/region})
 * @param endpoint an Auto Scaling endpoint override (tests); default: the region's
 * @param maxAttempts attempts per call by the SDK's standard retry strategy (throttling and 5xx)
 * @param apiCallTimeout the most one call may take, retries included
 */
@ConfigurationProperties("spotbatch.worker.aws")
public record AwsWorkerProperties(
    @DefaultValue("auto") HookMode completeLifecycleHook,
    String lifecycleHook,
    String groupName,
    @DefaultValue("180s") Duration heartbeatTimeout,
    @DefaultValue("30s") Duration heartbeatLead,
    @DefaultValue("5s") Duration heartbeatCheck,
    String region,
    URI endpoint,
    @DefaultValue("3") int maxAttempts,
    @DefaultValue("10s") Duration apiCallTimeout) {

  /** Whether the worker completes its termination lifecycle hook. */
  public enum HookMode {
    AUTO,
    OFF
  }

  public AwsWorkerProperties {
    completeLifecycleHook = completeLifecycleHook == null ? HookMode.AUTO : completeLifecycleHook;
    lifecycleHook = blankToNull(lifecycleHook);
    groupName = blankToNull(groupName);
    region = blankToNull(region);
    heartbeatTimeout = heartbeatTimeout == null ? Duration.ofSeconds(180) : heartbeatTimeout;
    heartbeatLead = heartbeatLead == null ? Duration.ofSeconds(30) : heartbeatLead;
    heartbeatCheck = heartbeatCheck == null ? Duration.ofSeconds(5) : heartbeatCheck;
    apiCallTimeout = apiCallTimeout == null ? Duration.ofSeconds(10) : apiCallTimeout;
    if (heartbeatTimeout.compareTo(Duration.ofSeconds(1)) < 0
        || heartbeatTimeout.compareTo(Duration.ofHours(2)) > 0) {
      throw new IllegalArgumentException(
          "spotbatch.worker.aws.heartbeat-timeout must be the hook's HeartbeatTimeout (AWS allows"
              + " 30 s to 2 h), was "
              + heartbeatTimeout);
    }
    if (heartbeatLead.isNegative() || heartbeatLead.compareTo(heartbeatTimeout) >= 0) {
      throw new IllegalArgumentException(
          "spotbatch.worker.aws.heartbeat-lead ("
              + heartbeatLead
              + ") must be >= 0 and shorter than spotbatch.worker.aws.heartbeat-timeout ("
              + heartbeatTimeout
              + ")");
    }
    if (heartbeatCheck.isNegative()
        || heartbeatCheck.isZero()
        || heartbeatCheck.compareTo(heartbeatLead) > 0 && !heartbeatLead.isZero()) {
      throw new IllegalArgumentException(
          "spotbatch.worker.aws.heartbeat-check ("
              + heartbeatCheck
              + ") must be > 0 and at most spotbatch.worker.aws.heartbeat-lead ("
              + heartbeatLead
              + "), or a heartbeat could come too late");
    }
    if (maxAttempts < 1 || maxAttempts > 10) {
      throw new IllegalArgumentException(
          "spotbatch.worker.aws.max-attempts must be within 1..10, was " + maxAttempts);
    }
    if (apiCallTimeout.isNegative() || apiCallTimeout.isZero()) {
      throw new IllegalArgumentException(
          "spotbatch.worker.aws.api-call-timeout must be > 0, was " + apiCallTimeout);
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
