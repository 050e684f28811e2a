package dev.spotbatch.queue.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotbatch.model.WorkItem;
import dev.spotbatch.queue.Lease;
import dev.spotbatch.queue.LeaseLostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** What the keeper does to a slot between lease calls, one round at a time on a fake clock. */
class SlotKeeperTest {
  private final SlotFixture f = new SlotFixture();
  private final ShareSlot slot = f.slot;

  private Lease leased(long offset, int deliveries, Duration leaseTime) {
    waiting(offset, deliveries);
    return slot.take(leaseTime, true).orElseThrow();
  }

  private void waiting(long offset, int deliveries) {
    f.fetch(offset, deliveries, SlotFixture.item());
    slot.lock.lock();
    try {
      slot.pollOnce(Duration.ZERO);
    } finally {
      slot.lock.unlock();
    }
    assertThat(slot.waitingForLease()).isTrue();
  }

  @Test
  void renewsAHeldRecordAtHalfItsLockWithoutTakingTheNextOne() {
    Lease lease = leased(7, 1, Duration.ofMinutes(10));
    f.fetch(8, 1, SlotFixture.item()); // acquired for this consumer: it must stay unseen

    f.clock.advance(SlotFixture.LOCK.dividedBy(2).minusSeconds(1));
    f.keeper.tick();
    assertThat(f.consumer.committed).containsExactly("RENEW@7");

    f.clock.advance(Duration.ofSeconds(1));
    f.keeper.tick();
    assertThat(f.consumer.committed).containsExactly("RENEW@7", "RENEW@7");
    assertThat(slot.handle()).isEqualTo(lease.handle());

    f.clock.advance(SlotFixture.LOCK.dividedBy(2));
    f.keeper.tick();
    assertThat(f.consumer.committed).containsExactly("RENEW@7", "RENEW@7", "RENEW@7");
    slot.finish(lease, AcknowledgeType.ACCEPT);
    assertThat(f.consumer.committed).endsWith("ACCEPT@7");
  }

  @Test
  void dropsARecordWhoseLockWasLost() {
    Lease lease = leased(7, 1, Duration.ofMinutes(10));
    f.consumer.loseLock(7);
    f.clock.advance(SlotFixture.LOCK.dividedBy(2));

    f.keeper.tick(); // the renewal is refused
    assertThat(slot.isLockLost()).isTrue();
    f.keeper.tick();

    assertThat(slot.isFree()).isTrue();
    assertThat(f.leased).isEmpty();
    assertThatThrownBy(() -> slot.extend(lease, Duration.ofMinutes(1)))
        .isInstanceOf(LeaseLostException.class);
  }

  @Test
  void releasesALeaseThatRanOutWithoutExtension() {
    Lease lease = leased(7, 1, Duration.ofSeconds(5));

    f.clock.advance(Duration.ofSeconds(5));
    f.keeper.tick();
    assertThat(slot.isFree()).isFalse();

    f.clock.advance(Duration.ofMillis(1));
    f.keeper.tick();
    assertThat(f.consumer.committed).containsExactly("RENEW@7", "RELEASE@7");
    assertThat(slot.isFree()).isTrue();
    assertThat(f.leased).isEmpty();
    assertThatThrownBy(() -> slot.finish(lease, AcknowledgeType.ACCEPT))
        .isInstanceOf(LeaseLostException.class);
  }

  @Test
  void keepsAnExtendedLeaseAndItsLock() {
    Lease lease = leased(7, 1, Duration.ofSeconds(5));
    f.clock.advance(Duration.ofSeconds(4));
    slot.extend(lease, Duration.ofSeconds(30));

    f.clock.advance(Duration.ofSeconds(12));
    f.keeper.tick();

    assertThat(f.consumer.committed).containsExactly("RENEW@7", "RENEW@7");
    assertThat(slot.isFree()).isFalse();
  }

  @Test
  void givesBackAnOrphanNoLeaseTookWithinTheOrphanTimeoutAsAContinuation() {
    waiting(7, 1);

    f.clock.advance(SlotKeeper.ORPHAN_TIMEOUT);
    f.keeper.tick();
    assertThat(slot.waitingForLease()).isTrue();

    f.clock.advance(Duration.ofMillis(1));
    f.keeper.tick();
    // a continuation, not a RELEASE: the delivery count keeps its budget for lost leases
    assertThat(f.consumer.committed).containsExactly("RENEW@7", "ACCEPT@7");
    List<ProducerRecord<String, String>> copies = f.produced(FakeShareConsumer.TOPIC);
    assertThat(copies).hasSize(1);
    WorkItem item = SlotFixture.item();
    assertThat(copies.get(0).key()).isEqualTo(item.itemId());
    assertThat(f.codec.decodeItem(copies.get(0).value()))
        .isEqualTo(item.continueFrom(item.range().start()));
    assertThat(slot.isFree()).isTrue();
  }

  @Test
  void givesBackAWaitingRecordAtOnceWhenLeasingStopped() {
    waiting(7, 1);
    f.leasingStopped = true;

    f.keeper.tick();

    assertThat(f.consumer.committed).containsExactly("RENEW@7", "ACCEPT@7");
    assertThat(f.produced(FakeShareConsumer.TOPIC)).hasSize(1);
  }

  @Test
  void stopLeasingCollectsAFetchGivesItBackAndLeavesTheGroup() throws Exception {
    waiting(7, 1);
    slot.take(Duration.ofMinutes(1), true).ifPresent(l -> slot.finish(l, AcknowledgeType.ACCEPT));
    f.fetch(8, 1, SlotFixture.item()); // fetched since the last poll

    f.keeper.stopLeasing(slot);

    assertThat(f.consumer.committed).containsExactly("RENEW@7", "ACCEPT@7", "RENEW@8", "ACCEPT@8");
    assertThat(f.produced(FakeShareConsumer.TOPIC)).hasSize(1);
    assertThat(slot.isFree()).isTrue();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!f.consumer.closed && System.nanoTime() < until) {
      Thread.sleep(10);
    }
    assertThat(f.consumer.closed).as("the idle consumer left the group").isTrue();
    assertThat(slot.hasConsumer()).isFalse();
  }

  @Test
  void stopLeasingKeepsALeasedRecord() {
    Lease lease = leased(7, 1, Duration.ofMinutes(1));

    f.keeper.stopLeasing(slot);

    assertThat(slot.hasConsumer()).isTrue();
    slot.finish(lease, AcknowledgeType.ACCEPT);
    assertThat(f.consumer.committed).containsExactly("RENEW@7", "ACCEPT@7");
  }

  @Test
  void collectsARecordFetchedAfterALeaseCallStoppedPolling() {
    slot.lock.lock();
    try {
      slot.markLeasePoll();
      slot.pollOnce(Duration.ZERO); // nothing yet: the lease call gives up
    } finally {
      slot.lock.unlock();
    }
    f.fetch(7, 1, SlotFixture.item()); // the fetch it started completes afterwards

    f.keeper.tick();
    assertThat(slot.isFree()).as("not before the collect interval").isTrue();

    f.clock.advance(SlotKeeper.COLLECT_INTERVAL);
    f.keeper.tick();
    assertThat(slot.waitingForLease()).isTrue();
  }
}
