package dev.spotbatch.queue.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.codec.MessageCodec;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.queue.DeadLetter;
import dev.spotbatch.testing.Samples;
import dev.spotbatch.testing.SharedKafka;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * {@link KafkaDeadLetterQueue} on an in-process KRaft broker, reading what the work queue's own
 * producer copies to the dead-letter topic.
 */
class KafkaDeadLetterQueueTest {
  private final MessageCodec codec = new MessageCodec();

  @Test
  void deadLettersAreReadWithTheirReasonAndStayHandledOnceAcknowledged() {
    KafkaOptions options = KafkaWorkQueueContract.options(SharedKafka.bootstrapServers(), 3);
    KafkaTopics.ensure(options);
    WorkItem first = Samples.item(1);
    WorkItem second = Samples.item(2);
    try (WorkProducer producer =
        WorkProducer.create(options, codec, Clock.systemUTC(), "test-dlq")) {
      producer.copyToDeadLetters(record(options, 11, first), 4);
      producer.copyToDeadLetters(record(options, 12, second), 4);
    }

    try (KafkaDeadLetterQueue dlq = new KafkaDeadLetterQueue(options, codec)) {
      assertThat(dlq.depth()).isEqualTo(2);
      List<DeadLetter> got = receiveAll(dlq, 2);
      assertThat(got).extracting(DeadLetter::item).containsExactly(first, second);
      assertThat(got.get(0).deliveries()).isEqualTo(4);
      assertThat(got.get(0).reason())
          .contains(options.deadLetterTopic(), "after 4 deliveries", "limit 3");

      // not acknowledged: read again
      assertThat(receiveAll(dlq, 2)).extracting(DeadLetter::item).containsExactly(first, second);
      dlq.acknowledge(dlq.receive(1, Duration.ofSeconds(5)));
      assertThat(dlq.depth()).isEqualTo(1);
    }
    // a new reader (a restarted dispatcher) starts after what was acknowledged
    try (KafkaDeadLetterQueue dlq = new KafkaDeadLetterQueue(options, codec)) {
      List<DeadLetter> rest = receiveAll(dlq, 1);
      assertThat(rest).extracting(DeadLetter::item).containsExactly(second);
      dlq.acknowledge(rest);
      assertThat(dlq.depth()).isZero();
    }
  }

  private static ConsumerRecord<String, String> record(
      KafkaOptions options, long offset, WorkItem item) {
    return new ConsumerRecord<>(
        options.workTopic(), 0, offset, item.itemId(), new MessageCodec().encode(item));
  }

  private static List<DeadLetter> receiveAll(KafkaDeadLetterQueue dlq, int n) {
    List<DeadLetter> out = new ArrayList<>();
    long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (out.size() < n && System.nanoTime() < until) {
      out.addAll(dlq.receive(n - out.size(), Duration.ofSeconds(1)));
    }
    return out;
  }
}
