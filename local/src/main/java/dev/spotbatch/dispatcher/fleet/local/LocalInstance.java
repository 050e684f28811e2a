package dev.spotbatch.dispatcher.fleet.local;

import dev.spotbatch.dispatcher.fleet.Pool;
import dev.spotbatch.localcloud.LocalImdsServer;
import dev.spotbatch.model.InstanceFacts;
import dev.spotbatch.model.Lifecycle;
import java.time.Clock;

/**
 * The identity a local worker process gets ({@code i-local-<n>-<generation>}, an instance of its
 * pool's simulated type, zone and lifecycle) and the metadata endpoint that serves it, the way EC2
 * would.
 */
final class LocalInstance {
  static final String PROVIDER = "local";
  static final String DEFAULT_INSTANCE_TYPE = "g5.xlarge";
  static final String DEFAULT_ZONE = "local-1a";
  static final String SPOT_POOL = "local-spot";
  static final String ON_DEMAND_POOL = "local-on-demand";

  /** The instance id of the class-data training run, which is no worker. */
  static final String TRAINING_ID = "i-local-0-training";

  private LocalInstance() {}

  /** The spot and the on-demand pool of local workers of one simulated type and zone. */
  record Pools(Pool spot, Pool onDemand) {
    static Pools of(String instanceType, String zone) {
      String type =
          instanceType == null || instanceType.isBlank() ? DEFAULT_INSTANCE_TYPE : instanceType;
      String z = zone == null || zone.isBlank() ? DEFAULT_ZONE : zone;
      return new Pools(
          new Pool(SPOT_POOL, PROVIDER, type, z, Lifecycle.SPOT),
          new Pool(ON_DEMAND_POOL, PROVIDER, type, z, Lifecycle.ON_DEMAND));
    }
  }

  /** The region of a zone: the zone without its letter ({@code local-1a} -> {@code local-1}). */
  static String region(String zone) {
    return zone.matches(".*\\d[a-z]$") ? zone.substring(0, zone.length() - 1) : zone;
  }

  /** The facts of generation {@code generation} of worker slot {@code n} in {@code pool}. */
  static InstanceFacts facts(int n, int generation, Pool pool) {
    return new InstanceFacts(
        PROVIDER,
        "i-local-" + n + "-" + generation,
        pool.instanceType(),
        region(pool.zone()),
        pool.zone(),
        pool.lifecycle());
  }

  /**
   * Starts a metadata endpoint on a free loopback port for instance {@code instanceId} of {@code
   * pool}: its type, zone and lifecycle ({@code spot} or {@code on-demand}).
   */
  static LocalImdsServer startMetadata(String instanceId, Pool pool, Clock clock) {
    return LocalImdsServer.start(
        new LocalImdsServer.Instance(
            instanceId,
            pool.instanceType(),
            region(pool.zone()),
            pool.zone(),
            pool.lifecycle() == Lifecycle.SPOT ? "spot" : "on-demand"),
        clock);
  }
}
