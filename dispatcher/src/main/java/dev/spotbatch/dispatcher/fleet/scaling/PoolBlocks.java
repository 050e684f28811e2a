package dev.spotbatch.dispatcher.fleet.scaling;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pools blocked after a failed launch: a failure at {@code t} blocks its pool until {@code t +
 * ttl}. Seeing the same failure again changes nothing, so providers may report a window of recent
 * failures on every tick.
 */
final class PoolBlocks {
  private record Block(Instant until, String reason) {}

  private final Duration ttl;
  private final Map<String, Block> blocks = new HashMap<>();

  PoolBlocks(Duration ttl) {
    this.ttl = ttl;
  }

  /** Records the launch failures among {@code incidents}; returns the pools newly blocked. */
  List<String> record(List<PoolIncident> incidents, Instant now) {
    blocks.values().removeIf(b -> !b.until().isAfter(now));
    List<String> newlyBlocked = new ArrayList<>();
    for (PoolIncident i : incidents) {
      if (i.kind() != IncidentKind.LAUNCH_FAILURE) {
        continue;
      }
      Instant until = i.at().plus(ttl);
      if (!until.isAfter(now)) {
        continue;
      }
      Block old = blocks.get(i.pool());
      if (old == null || until.isAfter(old.until())) {
        if (old == null) {
          newlyBlocked.add(i.pool());
        }
        blocks.put(i.pool(), new Block(until, i.detail()));
      }
    }
    return newlyBlocked;
  }

  /** Until when {@code pool} is blocked; null: it is not. */
  Instant until(String pool, Instant now) {
    Block b = blocks.get(pool);
    return b == null || !b.until().isAfter(now) ? null : b.until();
  }

  /** What the provider said when the block began; empty when none. */
  String reason(String pool, Instant now) {
    Block b = blocks.get(pool);
    return b == null || !b.until().isAfter(now) ? "" : b.reason();
  }
}
