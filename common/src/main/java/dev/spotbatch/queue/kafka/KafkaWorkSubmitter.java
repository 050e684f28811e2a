package dev.spotbatch.queue.kafka;

import dev.spotbatch.codec.MessageCodec;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.queue.QueueException;
import dev.spotbatch.queue.QueueStats;
import dev.spotbatch.queue.WorkSubmitter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatcher's end of the Kafka work queue: produces items to the work topic (keyed by item id)
 * and reads the queue's depth from the Admin API. It has no share consumer: workers lease through
 * {@link KafkaShareWorkQueue}. Thread-safe.
 */
public final class KafkaWorkSubmitter implements WorkSubmitter {
  private static final Logger log = LoggerFactory.getLogger(KafkaWorkSubmitter.class);

  private final KafkaOptions options;
  private final WorkProducer producer;
  private final Object adminLock = new Object();
  private Admin admin; // created on the first stats call; guarded by adminLock
  private volatile boolean closed;

  public KafkaWorkSubmitter(KafkaOptions options, MessageCodec codec, Clock clock) {
    this.options = Objects.requireNonNull(options, "options");
    this.producer = WorkProducer.create(options, codec, clock, "spotbatch-work-submitter");
  }

  @Override
  public void send(List<WorkItem> items) {
    producer.send(items);
  }

  /**
   * From the Admin API: queued = the work share group's unacknowledged records on the work topic
   * (Kafka does not tell waiting records from acquired ones, so in flight is unknown); delayed =
   * records in the delay tiers not yet forwarded.
   */
  @Override
  public QueueStats stats() {
    try {
      return KafkaQueueStats.read(admin(), options);
    } catch (KafkaException e) {
      throw new QueueException("reading Kafka queue statistics: " + e, e);
    }
  }

  private Admin admin() {
    synchronized (adminLock) {
      if (closed) {
        throw new QueueException("the Kafka work submitter is closed");
      }
      if (admin == null) {
        admin = Admin.create(KafkaTopics.clientConfig(options));
      }
      return admin;
    }
  }

  /** Closes the producer and the admin client. Never throws. */
  @Override
  public void close() {
    synchronized (adminLock) {
      if (closed) {
        return;
      }
      closed = true;
      if (admin != null) {
        try {
          admin.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
          log.warn("closing the admin client: {}", e.toString());
        }
      }
    }
    producer.close();
  }
}
