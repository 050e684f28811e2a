package dev.spotbatch.worker.lease;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.store.StoreUri;
import dev.spotbatch.worker.testing.Fixture;
import dev.spotbatch.worker.testing.MemoryObjectStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeartbeatTest {
  static final String INPUT = "s3://data/in/docs.jsonl";
  static final String OUTPUT = "s3://data/out/";
  static final Duration INTERVAL = Duration.ofSeconds(20);

  @TempDir Path tmp;
  MemoryObjectStore store;
  Fixture f;
  Heartbeat heartbeat;

  @BeforeEach
  void setUp() {
    store = new MemoryObjectStore();
    store.add(StoreUri.parse(INPUT), "{\"id\":\"a\",\"text\":\"hello\"}\n");
    f = new Fixture(store, tmp, Fixture.roots("s3://data/"));
    heartbeat = new Heartbeat(f.queue, f.items, Fixture.LEASE_TIME, INTERVAL, f.clock, f.metrics);
    f.queue.send(List.of(Fixture.item("i1", INPUT, 1000, OUTPUT, 0, 3)));
  }

  @AfterEach
  void tearDown() {
    heartbeat.close();
    f.close();
  }

  @Test
  void extendsLeasesBeforeTheyExpire() {
    ActiveItem active = f.leaseOne();
    for (int i = 0; i < 6; i++) { // two minutes, twice the lease time
      f.clock.advance(INTERVAL);
      heartbeat.tick();
    }
    assertThat(active.isAbandoned()).isFalse();
    assertThat(active.lease().deadline()).isEqualTo(f.clock.instant().plus(Fixture.LEASE_TIME));
    assertThat(f.processor.process(active)).isEqualTo(ItemOutcome.COMPLETED);
    assertThat(f.queue.stats().total()).isZero();
  }

  @Test
  void toleratesAFailedExtensionWhileTheDeadlineHasNotPassed() {
    ActiveItem active = f.leaseOne();
    f.queue.failExtend = true;
    f.clock.advance(INTERVAL);
    heartbeat.tick();
    f.queue.failExtend = false;
    f.clock.advance(INTERVAL);
    heartbeat.tick();

    assertThat(active.isAbandoned()).isFalse();
    assertThat(f.metrics.heartbeatFailures()).isEqualTo(1);
    assertThat(active.lease().deadline()).isEqualTo(f.clock.instant().plus(Fixture.LEASE_TIME));
  }

  @Test
  void abandonsTheItemWhenTheDeadlinePassesWithoutAnExtension() {
    ActiveItem active = f.leaseOne();
    f.queue.failExtend = true;
    for (int i = 0; i < 2; i++) {
      f.clock.advance(INTERVAL);
      heartbeat.tick();
      assertThat(active.isAbandoned()).isFalse();
    }
    f.clock.advance(INTERVAL);
    heartbeat.tick();

    assertThat(active.abandonReason()).isEqualTo(AbandonReason.DEADLINE_PASSED);
    assertThat(f.processor.process(active)).isEqualTo(ItemOutcome.ABANDONED);
    assertThat(f.drainEvents()).isEmpty();
    assertThat(store.text(StoreUri.parse(OUTPUT + active.lease().item().partPath()))).isEmpty();
    assertThat(f.queue.stats().total()).isEqualTo(1);
  }

  @Test
  void abandonsTheItemWhenTheLeaseIsLost() {
    ActiveItem active = f.leaseOne();
    f.clock.advance(Fixture.LEASE_TIME); // expired, and another worker takes it
    assertThat(f.queue.lease(1, Duration.ZERO, Fixture.LEASE_TIME)).hasSize(1);

    heartbeat.tick();

    assertThat(active.abandonReason()).isEqualTo(AbandonReason.LEASE_LOST);
    assertThat(f.processor.process(active)).isEqualTo(ItemOutcome.ABANDONED);
  }

  @Test
  void doesNotCommitAfterTheDeadlineEvenWithoutAHeartbeat() {
    ActiveItem active = f.leaseOne();
    f.clock.advance(Fixture.LEASE_TIME);
    assertThat(f.processor.process(active)).isEqualTo(ItemOutcome.ABANDONED);
    assertThat(f.drainEvents()).isEmpty();
  }
}
