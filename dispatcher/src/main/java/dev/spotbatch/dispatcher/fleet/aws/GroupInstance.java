package dev.spotbatch.dispatcher.fleet.aws;

/**
 * One instance of a group, as {@code DescribeAutoScalingGroups} reports it.
 *
 * @param lifecycleState {@code Pending}, {@code InService}, {@code Terminating:Wait}, ...
 */
public record GroupInstance(
    String instanceId,
    String instanceType,
    String zone,
    String lifecycleState,
    boolean healthy,
    boolean protectedFromScaleIn) {

  /** True while the instance counts towards the group's capacity (not on its way out). */
  public boolean counted() {
    return !lifecycleState.startsWith("Terminat")
        && !lifecycleState.startsWith("Detach")
        && !lifecycleState.startsWith("Standby");
  }

  /** True while Auto Scaling is removing it (a termination lifecycle hook may be holding it). */
  public boolean terminating() {
    return lifecycleState.startsWith("Terminat");
  }
}
