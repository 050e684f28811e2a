package dev.spotbatch.queue.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotbatch.queue.Lease;
import dev.spotbatch.queue.LeaseLostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The transitions of one {@link ShareSlot} on a fake share consumer. */
class ShareSlotTest {
  private final SlotFixture f = new SlotFixture();
  private final ShareSlot slot = f.slot;

  @BeforeEach
  void holdTheSlotsLock() {
    slot.lock.lock(); // as the keeper and the lease calls do; the lock is reentrant
  }

  @AfterEach
  void release() {
    slot.lock.unlock();
  }

  @Test
  void aNewRecordIsRenewedAtOnceSoAFetchedAheadRecordGetsAFullLock() {
    f.fetch(7, 1, SlotFixture.item());
    f.clock.advance(Duration.ofSeconds(20)); // it waited in the buffer behind another record

    slot.pollOnce(Duration.ZERO);

    assertThat(f.consumer.committed).containsExactly("RENEW@7");
    assertThat(slot.waitingForLease()).isTrue();
    assertThat(slot.renewalDue(f.clock.instant())).isFalse();
    f.clock.advance(SlotFixture.LOCK.dividedBy(2));
    assertThat(slot.renewalDue(f.clock.instant())).isTrue();
  }

  @Test
  void aFetchedAheadRecordWhoseLockRanOutInTheBufferIsDroppedNotLeased() {
    f.fetch(7, 1, SlotFixture.item());
    f.consumer.loseLock(7);

    slot.pollOnce(Duration.ZERO);

    assertThat(slot.isFree()).isTrue();
    assertThat(slot.take(Duration.ofMinutes(1), false)).isEmpty();
    assertThat(f.consumer.committed).isEmpty();

    f.fetch(8, 1, SlotFixture.item()); // the slot polls on
    slot.pollOnce(Duration.ZERO);
    assertThat(slot.waitingForLease()).isTrue();
  }

  @Test
  void aLeaseTakesTheRecordWithItsItemAndDeliveryCount() {
    f.fetch(7, 2, SlotFixture.item());
    slot.pollOnce(Duration.ZERO);

    Lease lease = slot.take(Duration.ofMinutes(1), false).orElseThrow();

    assertThat(lease.item()).isEqualTo(SlotFixture.item());
    assertThat(lease.deliveries()).isEqualTo(2);
    assertThat(lease.deadline()).isEqualTo(f.clock.instant().plus(Duration.ofMinutes(1)));
    assertThat(f.leased).containsEntry(lease.handle(), slot);
    assertThat(slot.take(Duration.ofMinutes(1), false)).as("taken once").isEmpty();
  }

  @Test
  void completeAcceptsCommitsAndFreesTheSlot() {
    f.fetch(7, 1, SlotFixture.item());
    slot.pollOnce(Duration.ZERO);
    Lease lease = slot.take(Duration.ofMinutes(1), false).orElseThrow();

    slot.finish(lease, AcknowledgeType.ACCEPT);

    assertThat(f.consumer.committed).containsExactly("RENEW@7", "ACCEPT@7");
    assertThat(slot.isFree()).isTrue();
    assertThat(f.leased).isEmpty();
    assertThatThrownBy(() -> slot.finish(lease, AcknowledgeType.ACCEPT))
        .isInstanceOf(LeaseLostException.class);
  }

  @Test
  void anAcknowledgementTheBrokerRefusesIsALostLease() {
    f.fetch(7, 1, SlotFixture.item());
    slot.pollOnce(Duration.ZERO);
    Lease lease = slot.take(Duration.ofMinutes(1), false).orElseThrow();
    f.consumer.loseLock(7);

    assertThatThrownBy(() -> slot.finish(lease, AcknowledgeType.ACCEPT))
        .isInstanceOf(LeaseLostException.class)
        .hasMessageContaining("acquisition lock ran out");
    assertThat(slot.isFree()).isTrue();
    assertThat(f.leased).isEmpty();
  }

  @Test
  void aLostLockStartsANewConsumerOnceTheSlotIsFree() throws Exception {
    // after a broker restart the old consumer may never fetch again (KafkaOutageIT)
    f.fetch(7, 1, SlotFixture.item());
    slot.pollOnce(Duration.ZERO);
    Lease lease = slot.take(Duration.ofMinutes(1), false).orElseThrow();
    f.consumer.loseLock(7);

    assertThatThrownBy(() -> slot.finish(lease, AcknowledgeType.ACCEPT))
        .isInstanceOf(LeaseLostException.class);

    assertThat(slot.hasConsumer()).as("the old consumer is let go").isFalse();
    long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!f.consumer.closed && System.nanoTime() < until) {
      Thread.sleep(10); // it leaves the group on a thread of its own
    }
    assertThat(f.consumer.closed).as("the old consumer left the group").isTrue();
    f.consumer.closed = false; // the fixture's factory hands out the same fake again
    f.fetch(8, 1, SlotFixture.item());
    slot.pollOnce(Duration.ZERO);
    assertThat(slot.hasConsumer()).isTrue();
    assertThat(slot.waitingForLease()).as("the new consumer leases on").isTrue();
  }

  @Test
  void aCompletedLeaseKeepsItsConsumer() {
    f.fetch(7, 1, SlotFixture.item());
    slot.pollOnce(Duration.ZERO);
    slot.finish(slot.take(Duration.ofMinutes(1), false).orElseThrow(), AcknowledgeType.ACCEPT);

    assertThat(slot.hasConsumer()).isTrue();
    assertThat(f.consumer.closed).isFalse();
  }

  @Test
  void aRenewalTheBrokerRefusesMarksTheLockLostAndTheLeaseCannotBeUsed() {
    f.fetch(7, 1, SlotFixture.item());
    slot.pollOnce(Duration.ZERO);
    Lease lease = slot.take(Duration.ofMinutes(5), false).orElseThrow();
    f.consumer.loseLock(7);

    assertThatThrownBy(slot::renew).isInstanceOf(LeaseLostException.class);

    assertThat(slot.isLockLost()).isTrue();
    assertThatThrownBy(() -> slot.extend(lease, Duration.ofMinutes(5)))
        .isInstanceOf(LeaseLostException.class);
    assertThatThrownBy(() -> slot.finish(lease, AcknowledgeType.ACCEPT))
        .isInstanceOf(LeaseLostException.class);
  }

  @Test
  void aRecordDeliveredPastTheReceiveLimitIsCopiedToTheDeadLetterTopicAndRejected() {
    f.fetch(7, SlotFixture.MAX_RECEIVE_COUNT + 1, SlotFixture.item());

    slot.pollOnce(Duration.ZERO);

    assertThat(slot.isFree()).isTrue();
    assertThat(f.consumer.committed).containsExactly("REJECT@7");
    List<ProducerRecord<String, String>> dead = f.produced(f.options.deadLetterTopic());
    assertThat(dead).hasSize(1);
    assertThat(f.codec.decodeItem(dead.get(0).value())).isEqualTo(SlotFixture.item());
    assertThat(header(dead.get(0), WorkProducer.DELIVERIES_HEADER)).isEqualTo("4");
    assertThat(header(dead.get(0), WorkProducer.SOURCE_HEADER)).isEqualTo("work:0:7");
  }

  @Test
  void aRecordAtTheReceiveLimitIsStillLeased() {
    f.fetch(7, SlotFixture.MAX_RECEIVE_COUNT, SlotFixture.item());

    slot.pollOnce(Duration.ZERO);

    assertThat(slot.waitingForLease()).isTrue();
    assertThat(f.produced(f.options.deadLetterTopic())).isEmpty();
  }

  @Test
  void anUndecodableRecordIsRejected() {
    f.consumer.fetch(7, 1, "{not a work item");

    slot.pollOnce(Duration.ZERO);

    assertThat(slot.isFree()).isTrue();
    assertThat(f.consumer.committed).containsExactly("REJECT@7");
  }

  @Test
  void aHeldRecordIsNotPolledAgainUntilItIsAcknowledged() {
    f.fetch(7, 1, SlotFixture.item());
    slot.pollOnce(Duration.ZERO);
    f.fetch(8, 1, SlotFixture.item());

    slot.pollOnce(Duration.ZERO); // explicit mode: the fake would throw if this polled

    assertThat(slot.handle()).startsWith("work:0:7:");
  }

  private static String header(ProducerRecord<String, String> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
