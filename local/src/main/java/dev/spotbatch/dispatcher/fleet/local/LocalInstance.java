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

  /** The instance id of the class-data training run, which is no worker. */
  static final String TRAINING_ID = "i-local-0-training";

  private LocalInstance() {}

  /** The facts of generation {@code generation} of worker slot {@code n}. */
  static InstanceFacts facts(int n, int generation) {
    return new InstanceFacts(
        PROVIDER, "i-local-" + n + "-" + generation, INSTANCE_TYPE, REGION, ZONE, POOL.lifecycle());
  }

  /**
   * Starts a metadata endpoint on a free loopback port for instance {@code instanceId}; like every
   * local instance it is a spot instance of the pool's type in the pool's zone.
   */
  static LocalImdsServer startMetadata(String instanceId, Clock clock) {
    return LocalImdsServer.start(
        new LocalImdsServer.Instance(instanceId, INSTANCE_TYPE, REGION, ZONE, "spot"), clock);
  }
}
