package dev.spotbatch.dispatcher.cost;

import dev.spotbatch.model.InstanceFacts;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The billed time of one machine (one worker process or instance): from its start to its exit.
 *
 * @param pool the pool it was launched into (null: unknown; {@link #poolKey} is derived then)
 * @param end null while {@link SessionEnd#RUNNING}
 * @param interruption what took it away ({@code spot}, {@code sigterm}, {@code kill}, ...); null
 *     when nothing did
 */
public record MachineSession(
    String instanceId,
    String workerId,
    InstanceFacts instance,
    String pool,
    Instant start,
    Instant end,
    SessionEnd ended,
    String interruption) {
  public MachineSession {
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(ended, "ended");
  }

  /** The end, or {@code now} while it runs. */
  public Instant endOr(Instant now) {
    return end == null ? now : end;
  }

  /** Its machine time up to {@code now}. */
  public Duration duration(Instant now) {
    Instant e = endOr(now);
    return e.isBefore(start) ? Duration.ZERO : Duration.between(start, e);
  }

  /** The pool name, or {@code provider/type/zone/lifecycle} when it was not reported. */
  public String poolKey() {
    return pool != null ? pool : PoolKey.of(instance).name();
  }
}
