package dev.spotbatch.queue.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.codec.MessageCodec;
import dev.spotbatch.queue.Lease;
import dev.spotbatch.testing.SharedKafka;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The work queue contract on {@link KafkaShareWorkQueue} and an in-process single-node KRaft broker
 * (Kafka's own test kit), plus what only a share group can get wrong.
 */
@Execution(ExecutionMode.CONCURRENT)
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
            new KafkaShareWorkQueue(options, new MessageCodec(), Clock.systemUTC());
        KafkaWorkSubmitter submitter =
            new KafkaWorkSubmitter(options, new MessageCodec(), Clock.systemUTC())) {
      // both join the group and are given a partition each
      assertThat(stopping.lease(1, Duration.ofSeconds(3), Duration.ofSeconds(30))).isEmpty();
      assertThat(working.lease(1, Duration.ofSeconds(3), Duration.ofSeconds(30))).isEmpty();
      stopping.stopLeasing();
      submitter.send(items(12)); // keyed by item id: both partitions get some

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

  /**
   * A slot holding a record renews its lock without asking for more: renewing through a poll made
   * the share consumer fetch the next record, which then waited unseen in its buffer behind the
   * held one until its lock ran out (a delivery counted each time, and for a lock's duration no one
   * else could have it).
   */
  @Test
  void aSlotThatRenewsItsLeaseDoesNotHideTheNextRecord() throws Exception {
    KafkaOptions options = options(bootstrapServers(), 4).withSlots(1);
    KafkaTopics.ensure(options);
    try (KafkaShareWorkQueue busy =
            new KafkaShareWorkQueue(options, new MessageCodec(), Clock.systemUTC());
        KafkaWorkSubmitter submitter =
            new KafkaWorkSubmitter(options, new MessageCodec(), Clock.systemUTC())) {
      submitter.send(items(1));
      Lease held = busy.lease(1, Duration.ofSeconds(15), Duration.ofMinutes(5)).get(0);
      // past half the 15 s lock: the keeper has renewed it
      Thread.sleep(options.lockDuration().dividedBy(2).plusSeconds(2).toMillis());
      submitter.send(List.of(item(1)));
      Thread.sleep(2000); // time for a consumer that wrongly asked for more to take it

      try (KafkaShareWorkQueue other =
          new KafkaShareWorkQueue(options, new MessageCodec(), Clock.systemUTC())) {
        List<Lease> next = other.lease(1, Duration.ofSeconds(10), Duration.ofSeconds(30));
        assertThat(next).extracting(l -> l.item().itemId()).containsExactly("item-1");
        assertThat(next.get(0).deliveries()).isEqualTo(1);
        other.complete(next.get(0));
      }
      busy.complete(held);
    }
  }
}
