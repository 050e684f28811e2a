package dev.spotbatch.dispatcher.fleet.aws;

import java.util.List;

/** One Auto Scaling group now. */
public record GroupState(
    String pool,
    String groupName,
    int desired,
    int minSize,
    int maxSize,
    boolean newInstancesProtected,
    List<GroupInstance> instances) {
  public GroupState {
    instances = List.copyOf(instances);
  }

  /** The instances that count towards capacity. */
  public int actual() {
    return (int) instances.stream().filter(GroupInstance::counted).count();
  }
}
