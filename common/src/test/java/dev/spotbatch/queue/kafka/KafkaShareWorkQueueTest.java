package dev.spotbatch.queue.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.codec.MessageCodec;
import dev.spotbatch.queue.Lease;
import dev.spotbatch.testing.SharedKafka;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The work queue contract on {@link KafkaShareWorkQueue} and an in-process single-node KRaft broker
 * (Kafka's own test kit), plus what only a share group can get wrong.
 */
class KafkaShareWorkQueueTest extends KafkaWorkQueueContract {
  @Override
  protected String bootstrapServers() {
    return SharedKafka.bootstrapServers();
  }

  /**
   * With as many partitions as members, each member is given partitions of its own; one that stops
   * polling (a draining worker, or one told to stop leasing by a rebalance recommendation) would
   * starve them until its poll interval (5 min) ran out. It leaves the group instead.
   */
  @Test
  void aQueueThatStopsLeasingLeavesItsPartitionsToTheOthers() {
    KafkaOptions options = options(bootstrapServers(), 4).withPartitions(2).withSlots(1);
    KafkaTopics.ensure(options);
    try (KafkaShareWorkQueue stopping =
            new KafkaShareWorkQueue(options, new MessageCodec(), Clock.systemUTC());
        KafkaShareWorkQueue working =
            new KafkaShareWorkQueue(options, new MessageCodec(), Clock.systemUTC())) {
      // both join the group and are given a partition each
      assertThat(stopping.lease(1, Duration.ofSeconds(3), Duration.ofSeconds(30))).isEmpty();
      assertThat(working.lease(1, Duration.ofSeconds(3), Duration.ofSeconds(30))).isEmpty();
      stopping.stopLeasing();
      working.send(items(12)); // keyed by item id: both partitions get some

      Set<String> done = new HashSet<>();
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
      while (done.size() < 12 && System.nanoTime() < until) {
        for (Lease lease : working.lease(1, Duration.ofSeconds(1), Duration.ofSeconds(30))) {
          done.add(lease.item().itemId());
          working.complete(lease);
        }
      }
      assertThat(done).hasSize(12);
    }
  }
}
