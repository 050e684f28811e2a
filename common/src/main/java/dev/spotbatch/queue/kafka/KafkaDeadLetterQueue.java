package dev.spotbatch.queue.kafka;

import dev.spotbatch.codec.CodecException;
import dev.spotbatch.codec.MessageCodec;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.queue.DeadLetter;
import dev.spotbatch.queue.DeadLetterQueue;
import dev.spotbatch.queue.QueueException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link DeadLetterQueue} on the {@code <work>-dlq} topic the Kafka work queue copies records
 * to after {@code max-receive-count} lost leases. Read by a plain consumer of its own group
 * ({@value #GROUP}) with its partitions assigned (no rebalance to wait for); acknowledge commits
 * past the acknowledged records, and records received but not acknowledged are read again on the
 * next receive. Not thread-safe beyond its own synchronisation: one caller thread is expected.
 */
public final class KafkaDeadLetterQueue implements DeadLetterQueue {
  private static final Logger log = LoggerFactory.getLogger(KafkaDeadLetterQueue.class);

  /** The consumer group whose committed offsets say which dead letters were handled. */
  public static final String GROUP = "spotbatch-dispatcher-dead-letters";

  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);

  private final KafkaOptions options;
  private final MessageCodec codec;
  private KafkaConsumer<String, String> consumer; // created on first use

  /** Received and not yet acknowledged, by handle. */
  private final Map<String, ConsumerRecord<String, String>> pending = new LinkedHashMap<>();

  public KafkaDeadLetterQueue(KafkaOptions options, MessageCodec codec) {
    this.options = Objects.requireNonNull(options, "options");
    this.codec = Objects.requireNonNull(codec, "codec");
  }

  @Override
  public synchronized List<DeadLetter> receive(int max, Duration wait) {
    try {
      KafkaConsumer<String, String> c = consumer();
      rewindPending(c);
      List<DeadLetter> out = new ArrayList<>();
      for (ConsumerRecord<String, String> r : c.poll(wait)) {
        if (out.size() >= max) {
          c.seek(new TopicPartition(r.topic(), r.partition()), r.offset());
          break;
        }
        String handle = KafkaClients.handle(r);
        pending.put(handle, r);
        out.add(letter(r, handle));
      }
      return out;
    } catch (KafkaException e) {
      throw new QueueException("reading " + options.deadLetterTopic() + ": " + e, e);
    }
  }

  @Override
  public synchronized void acknowledge(List<DeadLetter> letters) {
    if (consumer == null || letters.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
    for (DeadLetter l : letters) {
      ConsumerRecord<String, String> r = pending.remove(l.handle());
      if (r != null) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        long next = r.offset() + 1;
        OffsetAndMetadata before = commit.get(tp);
        if (before == null || before.offset() < next) {
          commit.put(tp, new OffsetAndMetadata(next));
        }
      }
    }
    try {
      consumer.commitSync(commit, CALL_TIMEOUT);
    } catch (KafkaException e) {
      throw new QueueException("acknowledging " + options.deadLetterTopic() + ": " + e, e);
    }
  }

  @Override
  public synchronized long depth() {
    try {
      KafkaConsumer<String, String> c = consumer();
      Set<TopicPartition> partitions = c.assignment();
      Map<TopicPartition, Long> ends = c.endOffsets(partitions, CALL_TIMEOUT);
      Map<TopicPartition, OffsetAndMetadata> done = c.committed(partitions, CALL_TIMEOUT);
      long depth = 0;
      for (TopicPartition tp : partitions) {
        OffsetAndMetadata committed = done.get(tp);
        long from =
            committed != null
                ? committed.offset()
                : c.beginningOffsets(List.of(tp), CALL_TIMEOUT).get(tp);
        depth += Math.max(0, ends.getOrDefault(tp, 0L) - from);
      }
      return depth;
    } catch (KafkaException e) {
      throw new QueueException("measuring " + options.deadLetterTopic() + ": " + e, e);
    }
  }

  /** Closes the consumer. Never throws. */
  @Override
  public synchronized void close() {
    if (consumer != null) {
      try {
        consumer.close(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        log.warn("closing the dead-letter consumer: {}", e.toString());
      }
      consumer = null;
    }
  }

  private DeadLetter letter(ConsumerRecord<String, String> r, String handle) {
    int deliveries = intHeader(r, WorkProducer.DELIVERIES_HEADER);
    String source = header(r, WorkProducer.SOURCE_HEADER);
    String where =
        "moved to the dead-letter topic "
            + options.deadLetterTopic()
            + " after "
            + deliveries
            + " deliveries without being completed (limit "
            + options.maxReceiveCount()
            + "): its leases kept running out"
            + (source == null ? "" : " (record " + source + ")");
    try {
      WorkItem item = codec.decodeItem(r.value());
      return new DeadLetter(item, handle, deliveries, where);
    } catch (CodecException e) {
      return new DeadLetter(null, handle, deliveries, "undecodable record " + where);
    }
  }

  private void rewindPending(KafkaConsumer<String, String> c) {
    if (pending.isEmpty()) {
      return;
    }
    Map<TopicPartition, Long> first = new HashMap<>();
    for (ConsumerRecord<String, String> r : pending.values()) {
      first.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::min);
    }
    first.forEach(c::seek);
    pending.clear();
  }

  private KafkaConsumer<String, String> consumer() {
    if (consumer == null) {
      Map<String, Object> config = KafkaTopics.clientConfig(options);
      config.put(CommonClientConfigs.CLIENT_ID_CONFIG, "spotbatch-dead-letters");
      config.put(CommonClientConfigs.GROUP_ID_CONFIG, GROUP);
      config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100);
      KafkaConsumer<String, String> c =
          new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
      try {
        Set<TopicPartition> partitions = new HashSet<>();
        for (PartitionInfo p : c.partitionsFor(options.deadLetterTopic(), CALL_TIMEOUT)) {
          partitions.add(new TopicPartition(p.topic(), p.partition()));
        }
        c.assign(partitions);
      } catch (RuntimeException e) {
        c.close(Duration.ZERO);
        throw e;
      }
      consumer = c;
    }
    return consumer;
  }

  private static String header(ConsumerRecord<?, ?> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static int intHeader(ConsumerRecord<?, ?> r, String name) {
    String s = header(r, name);
    try {
      return s == null ? 0 : Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
