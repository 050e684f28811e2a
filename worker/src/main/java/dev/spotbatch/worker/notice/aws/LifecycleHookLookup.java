package dev.spotbatch.worker.notice.aws;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads this instance's tags from IMDSv2 ({@code /latest/meta-data/tags/instance/<key>}), which
 * answer only when the launch template turns instance metadata tags on. Auto Scaling tags every
 * instance it launches with {@link #GROUP_TAG}; spotbatch's Terraform adds {@link #HOOK_TAG}.
 */
public final class LifecycleHookLookup {
  private static final Logger log = LoggerFactory.getLogger(LifecycleHookLookup.class);

  /** The instance's Auto Scaling group, set by Auto Scaling itself. */
  public static final String GROUP_TAG = "aws:autoscaling:groupName";

  /** The termination lifecycle hook the worker completes (worker_fleet's groups propagate it). */
  public static final String HOOK_TAG = "spotbatch:lifecycle-hook";

  private final ImdsClient imds;

  public LifecycleHookLookup(ImdsClient imds) {
    this.imds = imds;
  }

  /** The value of the instance tag {@code key}; empty when absent, tags are off, or IMDS fails. */
  public Optional<String> tag(String key) {
    try {
      return imds.get("tags/instance/" + key).map(String::trim).filter(v -> !v.isEmpty());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (Exception e) {
      log.warn("cannot read the instance tag {} from IMDS: {}", key, e.toString());
      return Optional.empty();
    }
  }
}
