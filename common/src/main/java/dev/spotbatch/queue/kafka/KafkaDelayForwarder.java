package dev.spotbatch.queue.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Future;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves retries whose delay is over from the delay-tier topics to the work topic. Each tier is one
 * partition written in time order with one fixed delay, so its records come due in offset order:
 * the forwarder reads a tier until the first record not yet due, pauses that tier until then, and
 * commits (classic consumer group {@code <work topic>-delay-forwarder}) only what it has produced
 * to the work topic. A crash between the two forwards a retry twice, which is harmless (parts are
 * named deterministically, events are applied idempotently); nothing is lost.
 *
 * <p>Runs on a thread of its own where capacity is stable (the dispatcher), never on spot workers.
 */
public final class KafkaDelayForwarder implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KafkaDelayForwarder.class);
  private static final Duration MAX_POLL = Duration.ofMillis(500);
  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaOptions options;
  private final Clock clock;
  private final Map<TopicPartition, Long> pausedUntil = new HashMap<>();
  private volatile boolean running;
  private Thread thread;
  private KafkaConsumer<String, String> consumer;
  private KafkaProducer<String, String> producer;

  public KafkaDelayForwarder(KafkaOptions options, Clock clock) {
    this.options = Objects.requireNonNull(options, "options");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The consumer group the forwarder commits in. */
  public static String group(KafkaOptions options) {
    return options.workTopic() + "-delay-forwarder";
  }

  /** Starts forwarding on a thread of its own. */
  public synchronized void start() {
    if (thread != null) {
      return;
    }
    Map<String, Object> config = KafkaTopics.clientConfig(options);
    config.put(CommonClientConfigs.GROUP_ID_CONFIG, group(options));
    config.put(CommonClientConfigs.CLIENT_ID_CONFIG, group(options));
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
    consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    producer = KafkaClients.producer(options, "spotbatch-delay-forwarder");
    List<String> topics = new ArrayList<>();
    options.delayTiers().forEach(t -> topics.add(options.delayTopic(t)));
    consumer.subscribe(topics);
    running = true;
    thread = new Thread(this::run, "kafka-delay-forwarder");
    thread.setDaemon(true);
    thread.start();
    log.info("forwarding due retries from {} to {}", topics, options.workTopic());
  }

  private void run() {
    try {
      while (running) {
        try {
          forwardOnce();
        } catch (WakeupException e) {
          if (running) {
            throw e;
          }
        } catch (RuntimeException e) {
          log.warn("delay forwarder: {}; retrying in 1 s", e.toString());
          sleep(Duration.ofSeconds(1));
        }
      }
    } finally {
      try {
        consumer.close(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        log.debug("closing the delay forwarder's consumer: {}", e.toString());
      }
      try {
        producer.close(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        log.debug("closing the delay forwarder's producer: {}", e.toString());
      }
    }
  }

  /** One poll: forwards what is due, pauses each tier at its first record not yet due. */
  void forwardOnce() {
    long now = clock.millis();
    List<TopicPartition> resume = new ArrayList<>();
    long nextResume = Long.MAX_VALUE;
    for (Map.Entry<TopicPartition, Long> e : pausedUntil.entrySet()) {
      if (e.getValue() <= now) {
        resume.add(e.getKey());
      } else {
        nextResume = Math.min(nextResume, e.getValue());
      }
    }
    if (!resume.isEmpty()) {
      resume.forEach(pausedUntil::remove);
      consumer.resume(resume);
    }
    long wait = Math.min(MAX_POLL.toMillis(), Math.max(0, nextResume - now));
    ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(wait));
    if (records.isEmpty()) {
      return;
    }
    now = clock.millis();
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
    for (TopicPartition tp : records.partitions()) {
      for (ConsumerRecord<String, String> record : records.records(tp)) {
        long due = due(record);
        if (due > now) {
          consumer.seek(tp, record.offset());
          consumer.pause(List.of(tp));
          pausedUntil.put(tp, due);
          break;
        }
        sent.add(
            producer.send(new ProducerRecord<>(options.workTopic(), record.key(), record.value())));
        commit.put(tp, new OffsetAndMetadata(record.offset() + 1));
      }
    }
    if (!sent.isEmpty()) {
      KafkaClients.awaitAll(sent, SEND_TIMEOUT, "forward due retries to " + options.workTopic());
      consumer.commitSync(commit);
      log.debug("forwarded {} due retries", sent.size());
    }
  }

  private static long due(ConsumerRecord<String, String> record) {
    Header header = record.headers().lastHeader(WorkProducer.DUE_HEADER);
    if (header == null) {
      return 0; // no due time: forward at once
    }
    try {
      return Long.parseLong(new String(header.value(), StandardCharsets.UTF_8));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Stops forwarding and closes the clients. Never throws. */
  @Override
  public synchronized void close() {
    running = false;
    Thread t = thread;
    if (t == null) {
      return;
    }
    try {
      consumer.wakeup();
      t.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.debug("stopping the delay forwarder: {}", e.toString());
    }
    thread = null;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
