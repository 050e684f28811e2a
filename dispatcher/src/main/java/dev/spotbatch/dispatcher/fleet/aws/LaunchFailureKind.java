package dev.spotbatch.dispatcher.fleet.aws;

import java.util.Locale;

/**
 * Why a launch failed, read from a scaling activity's status message (the messages the Auto Scaling
 * troubleshooting guide lists). Every kind blocks the pool for the block TTL: capacity goes to
 * other pools either way; the kind tells a person whether waiting helps.
 */
public enum LaunchFailureKind {
  /** {@code InsufficientInstanceCapacity}, "no Spot capacity available": waiting helps. */
  INSUFFICIENT_CAPACITY,
  /** {@code MaxSpotInstanceCountExceeded}, a spot price under the fulfillment price. */
  SPOT_LIMIT,
  /** vCPU or instance quotas of the account: raise the quota. */
  QUOTA,
  /** The type is not offered in the zone: fix the pool. */
  UNSUPPORTED,
  /** Launch template, AMI, security group, key pair, IAM: fix the configuration. */
  CONFIGURATION;

  public static LaunchFailureKind classify(String message) {
    String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
    if (m.contains("insufficientinstancecapacity")
        || m.contains("insufficient capacity")
        || m.contains("do not have sufficient")
        || m.contains("no spot capacity")) {
      return INSUFFICIENT_CAPACITY;
    }
    if (m.contains("maxspotinstancecountexceeded")
        || m.contains("max spot instance count")
        || m.contains("spotmaxpricetoolow")
        || m.contains("spot request price")) {
      return SPOT_LIMIT;
    }
    if (m.contains("vcpulimitexceeded")
        || m.contains("vcpu limit")
        || m.contains("vcpu capacity")
        || m.contains("instancelimitexceeded")
        || m.contains("are already running")) {
      return QUOTA;
    }
    if (m.contains("unsupported") || m.contains("not supported")) {
      return UNSUPPORTED;
    }
    return CONFIGURATION;
  }
}
