package dev.spotbatch.queue.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotbatch.model.WorkItem;
import dev.spotbatch.queue.Lease;
import dev.spotbatch.queue.LeaseLostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The lease orchestration of {@link KafkaShareWorkQueue} on one slot with a fake share consumer
 * (the broker behaviour itself is {@link KafkaShareWorkQueueTest}'s). Its keeper never ticks here.
 */
class KafkaShareWorkQueueFacadeTest {
  private final SlotFixture f = new SlotFixture();
  private final KafkaShareWorkQueue queue =
      new KafkaShareWorkQueue(
          f.options,
          f.clock,
          f.context.producer(),
          f.codec,
          index -> f.consumer,
          d -> new CountDownLatch(1).await());

  @AfterEach
  void close() {
    queue.close();
  }

  @Test
  void refusesToBeBuiltWithoutASlotToLeaseInto() {
    assertThatThrownBy(
            () ->
                new KafkaShareWorkQueue(
                    f.options.withSlots(0),
                    f.clock,
                    f.context.producer(),
                    f.codec,
                    index -> f.consumer,
                    d -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("KafkaWorkSubmitter");
  }

  @Test
  void leasesWhatItsSlotFetchedAndEndsTheLeaseOnce() {
    f.fetch(7, 1, SlotFixture.item());

    List<Lease> leases = queue.lease(3, Duration.ZERO, Duration.ofMinutes(1));

    assertThat(leases).extracting(Lease::item).containsExactly(SlotFixture.item());
    assertThat(f.consumer.subscribed).isTrue();
    queue.complete(leases.get(0));
    assertThat(f.consumer.committed).containsExactly("RENEW@7", "ACCEPT@7");
    assertThatThrownBy(() -> queue.complete(leases.get(0))).isInstanceOf(LeaseLostException.class);
  }

  @Test
  void requeueWithADelayProducesToTheDelayTierFirstThenAccepts() {
    f.fetch(7, 1, SlotFixture.item());
    Lease lease = queue.lease(1, Duration.ZERO, Duration.ofMinutes(1)).get(0);
    WorkItem retry = lease.item().afterFailure();

    queue.requeue(lease, retry, Duration.ofSeconds(20));

    Duration tier = f.options.tierFor(Duration.ofSeconds(20));
    List<ProducerRecord<String, String>> delayed = f.produced(f.options.delayTopic(tier));
    assertThat(delayed).hasSize(1);
    assertThat(f.codec.decodeItem(delayed.get(0).value())).isEqualTo(retry);
    String due =
        new String(
            delayed.get(0).headers().lastHeader(WorkProducer.DUE_HEADER).value(),
            StandardCharsets.UTF_8);
    assertThat(Long.parseLong(due)).isEqualTo(f.clock.millis() + tier.toMillis());
    assertThat(f.consumer.committed).containsExactly("RENEW@7", "ACCEPT@7");
  }

  @Test
  void handsBackAsAContinuationEvenOnTheFirstDeliverySoTheCountKeepsItsBudgetForLostLeases() {
    // a RELEASE would make this delivery count: three drains and one crash would then dead-letter
    f.fetch(7, 1, SlotFixture.item());
    Lease lease = queue.lease(1, Duration.ZERO, Duration.ofMinutes(1)).get(0);

    queue.handBack(lease);

    assertThat(f.consumer.committed).containsExactly("RENEW@7", "ACCEPT@7");
    List<ProducerRecord<String, String>> copies = f.produced(FakeShareConsumer.TOPIC);
    assertThat(copies).hasSize(1);
    WorkItem copy = f.codec.decodeItem(copies.get(0).value());
    assertThat(copy.itemId()).isEqualTo(SlotFixture.item().itemId());
    assertThat(copy.attempts().interruptions()).isEqualTo(1);
    assertThat(copy.attempts().failures()).isZero();
  }

  @Test
  void handsBackAtTheReceiveLimitAsAContinuationSoAnInterruptionNeverDeadLetters() {
    f.fetch(7, SlotFixture.MAX_RECEIVE_COUNT, SlotFixture.item());
    Lease lease = queue.lease(1, Duration.ZERO, Duration.ofMinutes(1)).get(0);

    queue.handBack(lease);

    assertThat(f.consumer.committed).containsExactly("RENEW@7", "ACCEPT@7");
    List<ProducerRecord<String, String>> copies = f.produced(FakeShareConsumer.TOPIC);
    assertThat(copies).hasSize(1);
    assertThat(f.codec.decodeItem(copies.get(0).value()).attempts().interruptions()).isEqualTo(1);
  }
}
