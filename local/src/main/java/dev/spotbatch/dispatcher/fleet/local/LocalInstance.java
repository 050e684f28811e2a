package dev.spotbatch.dispatcher.fleet.local;

import dev.spotbatch.dispatcher.fleet.Pool;
import dev.spotbatch.localcloud.LocalImdsServer;
import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.Lifecycle;
import java.time.Clock;

/**
 * The identity a local worker process gets ({@code i-local-<n>-<generation>}, a spot instance of
 * one local type and zone) and the metadata endpoint that serves it, the way EC2 would.
 */
final class LocalInstance {
  static final String PROVIDER = "local";
  static final String INSTANCE_TYPE = "local.2xcpu";
  static final String REGION = "local-1";
  static final String ZONE = "local-1a";

  /** The one pool of the local fleet: every worker is alike. */
  static final Pool POOL = new Pool("local-spot", PROVIDER, INSTANCE_TYPE, ZONE, Lifecycle.SPOT);

  private LocalInstance() {}

  /** The facts of generation {@code generation} of worker slot {@code n}. */
  static InstanceFacts facts(int n, int generation) {
    return facts("i-local-" + n + "-" + generation);
  }

  /** The facts of the class-data training run, which is no worker. */
  static InstanceFacts training() {
    return facts("i-local-0-training");
  }

  /** Starts a metadata endpoint on a free loopback port that serves {@code facts}. */
  static LocalImdsServer startMetadata(InstanceFacts facts, Clock clock) {
    return LocalImdsServer.start(
        new LocalImdsServer.Instance(
            facts.instanceId(),
            facts.instanceType(),
            facts.region(),
            facts.zone(),
            facts.lifecycle() == Lifecycle.SPOT ? "spot" : "on-demand"),
        clock);
  }

  private static InstanceFacts facts(String instanceId) {
    return new InstanceFacts(PROVIDER, instanceId, INSTANCE_TYPE, REGION, ZONE, POOL.lifecycle());
  }
}
