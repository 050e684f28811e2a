package dev.spotbatch.testing;

import dev.spotbatch.localcloud.LocalImdsServer;
import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.Lifecycle;
import java.time.Clock;

/** Starts the local IMDSv2 endpoint for an instance given as spotbatch's {@link InstanceFacts}. */
public final class LocalImds {
  private LocalImds() {}

  /** A metadata endpoint on a free loopback port that describes {@code facts}. */
  public static LocalImdsServer start(InstanceFacts facts, Clock clock) {
    return LocalImdsServer.start(
        new LocalImdsServer.Instance(
            facts.instanceId(),
            facts.instanceType(),
            facts.region(),
            facts.zone(),
            facts.lifecycle() == Lifecycle.SPOT ? "spot" : "on-demand"),
        clock);
  }
}
