package dev.spotbatch.queue.kafka;

import dev.spotbatch.queue.LeaseLostException;
import dev.spotbatch.queue.QueueException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.errors.InvalidRecordStateException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The share consumer of one {@link ShareSlot}, created on first use and subscribed to the work
 * topic: polls, acknowledgements committed synchronously, and the broker's verdict on each commit
 * turned into a {@link LeaseLostException} or {@link QueueException}. Not thread-safe: the slot's
 * lock guards it.
 */
final class SlotConsumer {
  private static final Logger log = LoggerFactory.getLogger(SlotConsumer.class);
  private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  /** Creates a slot's share consumer (explicit acknowledgement, one record at a time). */
  @FunctionalInterface
  interface Factory {
    ShareConsumer<String, String> create(int slotIndex);
  }

  private final int index;
  private final KafkaOptions options;
  private final Factory factory;

  /** Records whose acknowledgement the broker refused, as {@code topic:partition:offset}. */
  private final Map<String, Boolean> failed = new ConcurrentHashMap<>();

  private volatile ShareConsumer<String, String> consumer;

  SlotConsumer(int index, KafkaOptions options, Factory factory) {
    this.index = index;
    this.options = options;
    this.factory = factory;
  }

  boolean isOpen() {
    return consumer != null;
  }

  /**
   * One poll, creating the consumer if needed.
   *
   * @return what came, or nothing if the poll was woken up (stopLeasing or close)
   */
  ConsumerRecords<String, String> poll(Duration timeout) {
    try {
      return open().poll(timeout);
    } catch (WakeupException e) {
      return ConsumerRecords.empty();
    } catch (KafkaException | IllegalStateException e) {
      throw new QueueException("polling " + options.workTopic() + ": " + e, e);
    }
  }

  /** A zero-timeout poll right after a renewal was committed, which returns the renewed record. */
  ConsumerRecords<String, String> pollRenewed() {
    try {
      try {
        return consumer.poll(Duration.ZERO);
      } catch (WakeupException e) {
        return consumer.poll(Duration.ZERO); // a stale wake-up, consumed by the throw
      }
    } catch (KafkaException | IllegalStateException e) {
      throw new QueueException("polling " + options.workTopic() + ": " + e, e);
    }
  }

  void acknowledge(ConsumerRecord<String, String> record, AcknowledgeType type) {
    consumer.acknowledge(record, type);
  }

  /**
   * Commits pending acknowledgements; if {@code ours} is given, a failure on its partition means
   * its lock was lost.
   */
  void commit(ConsumerRecord<String, String> ours) {
    Map<TopicIdPartition, Optional<KafkaException>> result;
    try {
      try {
        result = consumer.commitSync(COMMIT_TIMEOUT);
      } catch (WakeupException e) {
        // a wake-up meant for a poll that had already ended; the throw consumed it
        result = consumer.commitSync(COMMIT_TIMEOUT);
      }
    } catch (KafkaException e) {
      throw new QueueException(
          "committing acknowledgements on " + options.workTopic() + ": " + e, e);
    }
    for (Map.Entry<TopicIdPartition, Optional<KafkaException>> e : result.entrySet()) {
      if (e.getValue().isEmpty()) {
        continue;
      }
      KafkaException error = e.getValue().get();
      boolean onOurs =
          ours != null
              && e.getKey().topic().equals(ours.topic())
              && e.getKey().partition() == ours.partition();
      if (onOurs && error instanceof InvalidRecordStateException) {
        throw new LeaseLostException(
            "the broker refused the acknowledgement of "
                + KafkaClients.handle(ours)
                + " (its acquisition lock ran out): "
                + error.getMessage(),
            error);
      }
      if (onOurs) {
        throw new QueueException(
            "acknowledging " + KafkaClients.handle(ours) + " failed: " + error, error);
      }
      log.warn("an acknowledgement on {} failed: {}", e.getKey(), error.toString());
    }
  }

  /** The broker refused an acknowledgement of {@code record} (reported by a commit callback). */
  boolean refused(ConsumerRecord<?, ?> record) {
    return failed.containsKey(KafkaClients.handle(record));
  }

  void forgetRefusals() {
    failed.clear();
  }

  /** The acquisition lock the broker grants, else the configured one. */
  Duration lockTimeout() {
    ShareConsumer<String, String> c = consumer;
    Optional<Integer> ms = c == null ? Optional.empty() : c.acquisitionLockTimeoutMs();
    return ms.isPresent() && ms.get() > 0 ? Duration.ofMillis(ms.get()) : options.lockDuration();
  }

  /** Ends a poll under way. Safe from any thread. */
  void wakeup() {
    ShareConsumer<String, String> c = consumer;
    if (c != null) {
      c.wakeup();
    }
  }

  /** Closes the consumer (it leaves the group) and forgets it. Never throws. */
  void close() {
    ShareConsumer<String, String> c = consumer;
    consumer = null;
    if (c != null) {
      closeQuietly(c);
    }
  }

  /** Like {@link #close()}, on a thread of its own: leaving the group takes a round trip. */
  void closeInBackground() {
    ShareConsumer<String, String> c = consumer;
    consumer = null;
    if (c != null) {
      Thread closer = new Thread(() -> closeQuietly(c), "kafka-share-leave-" + index);
      closer.setDaemon(true);
      closer.start();
    }
  }

  private void closeQuietly(ShareConsumer<String, String> c) {
    try {
      c.close(CLOSE_TIMEOUT);
    } catch (RuntimeException e) {
      log.debug("closing share consumer {}: {}", index, e.toString());
    }
  }

  private ShareConsumer<String, String> open() {
    ShareConsumer<String, String> c = consumer;
    if (c == null) {
      c = factory.create(index);
      c.setAcknowledgementCommitCallback(
          (offsets, exception) -> {
            if (exception != null) {
              offsets.forEach(
                  (partition, set) ->
                      set.forEach(
                          offset ->
                              failed.put(
                                  partition.topic() + ":" + partition.partition() + ":" + offset,
                                  Boolean.TRUE)));
            }
          });
      c.subscribe(List.of(options.workTopic()));
      consumer = c;
    }
    return c;
  }
}
