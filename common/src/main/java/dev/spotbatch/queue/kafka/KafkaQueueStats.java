package dev.spotbatch.queue.kafka;

import dev.spotbatch.queue.QueueException;
import dev.spotbatch.queue.QueueStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.SharePartitionOffsetInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * Queue depth of the Kafka adapters from the Admin API: the work share group's lag (records not yet
 * acknowledged: waiting or acquired; before any worker joined, everything in the topic) and the
 * delay forwarder's lag on the delay tiers.
 */
final class KafkaQueueStats {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private KafkaQueueStats() {}

  static QueueStats read(Admin admin, KafkaOptions options) {
    List<TopicPartition> work = partitions(admin, List.of(options.workTopic()));
    Map<TopicPartition, Long> workEnds = offsets(admin, work, OffsetSpec.latest());
    Map<TopicPartition, Long> workStarts = offsets(admin, work, OffsetSpec.earliest());
    Map<TopicPartition, SharePartitionOffsetInfo> share =
        get(
            admin
                .listShareGroupOffsets(
                    Map.of(
                        options.workGroup(), new ListShareGroupOffsetsSpec().topicPartitions(work)))
                .partitionsToOffsetInfo(options.workGroup()));
    long queued = 0;
    for (TopicPartition tp : work) {
      SharePartitionOffsetInfo info = share == null ? null : share.get(tp);
      if (info != null && info.lag().isPresent()) {
        queued += Math.max(0, info.lag().get());
      } else {
        queued += Math.max(0, workEnds.getOrDefault(tp, 0L) - workStarts.getOrDefault(tp, 0L));
      }
    }

    List<String> tiers = new ArrayList<>();
    options.delayTiers().forEach(t -> tiers.add(options.delayTopic(t)));
    List<TopicPartition> delay = partitions(admin, tiers);
    Map<TopicPartition, Long> delayEnds = offsets(admin, delay, OffsetSpec.latest());
    Map<TopicPartition, Long> delayStarts = offsets(admin, delay, OffsetSpec.earliest());
    Map<TopicPartition, OffsetAndMetadata> forwarded =
        get(
            admin
                .listConsumerGroupOffsets(
                    Map.of(
                        KafkaDelayForwarder.group(options),
                        new ListConsumerGroupOffsetsSpec().topicPartitions(delay)))
                .partitionsToOffsetAndMetadata(KafkaDelayForwarder.group(options)));
    long delayed = 0;
    for (TopicPartition tp : delay) {
      OffsetAndMetadata done = forwarded == null ? null : forwarded.get(tp);
      long from = done == null ? delayStarts.getOrDefault(tp, 0L) : done.offset();
      delayed += Math.max(0, delayEnds.getOrDefault(tp, 0L) - from);
    }
    return QueueStats.withoutInFlight(queued, delayed);
  }

  private static List<TopicPartition> partitions(Admin admin, List<String> topics) {
    Map<String, TopicDescription> described = get(admin.describeTopics(topics).allTopicNames());
    List<TopicPartition> out = new ArrayList<>();
    described.forEach(
        (name, d) -> d.partitions().forEach(p -> out.add(new TopicPartition(name, p.partition()))));
    return out;
  }

  private static Map<TopicPartition, Long> offsets(
      Admin admin, List<TopicPartition> partitions, OffsetSpec spec) {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    partitions.forEach(tp -> request.put(tp, spec));
    Map<TopicPartition, ListOffsetsResultInfo> result = get(admin.listOffsets(request).all());
    Map<TopicPartition, Long> out = new HashMap<>();
    result.forEach((tp, info) -> out.put(tp, info.offset()));
    return out;
  }

  private static <T> T get(KafkaFuture<T> future) {
    try {
      return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new QueueException("interrupted reading Kafka queue statistics", e);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      throw new QueueException("reading Kafka queue statistics: " + cause, cause);
    }
  }
}
