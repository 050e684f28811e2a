package dev.spotbatch.bench;

import dev.spotbatch.codec.MessageCodec;
import dev.spotbatch.localcloud.LocalKafkaBroker;
import dev.spotbatch.queue.EventQueue;
import dev.spotbatch.queue.WorkSource;
import dev.spotbatch.queue.WorkSubmitter;
import dev.spotbatch.queue.kafka.KafkaEventQueue;
import dev.spotbatch.queue.kafka.KafkaOptions;
import dev.spotbatch.queue.kafka.KafkaShareWorkQueue;
import dev.spotbatch.queue.kafka.KafkaTopics;
import dev.spotbatch.queue.kafka.KafkaWorkSubmitter;
import dev.spotbatch.queue.memory.InMemoryEventQueue;
import dev.spotbatch.queue.memory.InMemoryWorkQueue;
import dev.spotbatch.queue.sqs.SqsEventQueue;
import dev.spotbatch.queue.sqs.SqsOptions;
import dev.spotbatch.queue.sqs.SqsQueues;
import dev.spotbatch.queue.sqs.SqsWorkQueue;
import dev.spotbatch.testing.ElasticMqServer;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The broker a benchmark runs on, started in-process: SQS (ElasticMQ), Kafka (a KRaft broker with
 * share groups) or none at all (common's in-memory queues, handed to the worker as beans: the
 * worker's figures without a queue server's or a queue client's CPU). Gives the benchmark its own
 * clients on a work/events pair and the arguments that point a {@code WorkerApplication} at the
 * same pair.
 */
abstract class BenchQueue implements AutoCloseable {
  final MessageCodec codec = new MessageCodec();

  /** {@code sqs} or {@code kafka} (work and events topics of 8 partitions, the default). */
  static BenchQueue start(String type) {
    return start(type, 8);
  }

  /**
   * {@code sqs}, {@code kafka} (work and events topics of {@code kafkaPartitions}) or {@code
   * memory}.
   */
  static BenchQueue start(String type, int kafkaPartitions) {
    return switch (type.toLowerCase(Locale.ROOT)) {
      case "sqs" -> new Sqs();
      case "kafka" -> new Kafka(kafkaPartitions);
      case "memory" -> new Memory();
      default ->
          throw new IllegalArgumentException("queue type must be sqs, kafka or memory: " + type);
    };
  }

  abstract String type();

  /** Creates the pair if missing. */
  abstract void ensure(String work, String events);

  /** The benchmark's dispatcher end of the work queue (send). */
  abstract WorkSubmitter submitter(String work, String events);

  /** The benchmark's worker end of the work queue (observe what comes back, complete it). */
  abstract WorkSource source(String work, String events, int slots);

  /** A client of the events queue for the benchmark's side (read what the worker published). */
  abstract EventQueue eventQueue(String work, String events);

  /** Worker arguments that select this broker and the pair. */
  abstract List<String> workerArgs(String work, String events);

  /** Whatever the worker's application needs beyond its arguments; nothing for a real broker. */
  void prepare(SpringApplicationBuilder app, String work, String events) {}

  @Override
  public abstract void close();

  /** SQS on ElasticMQ. */
  static final class Sqs extends BenchQueue {
    private final ElasticMqServer server = ElasticMqServer.start();

    @Override
    String type() {
      return "sqs";
    }

    @Override
    void ensure(String work, String events) {
      SqsQueues.ensure(server.client(), work, 10);
      SqsQueues.ensure(server.client(), events, 10);
    }

    @Override
    WorkSubmitter submitter(String work, String events) {
      return sqsWorkQueue(work);
    }

    @Override
    WorkSource source(String work, String events, int slots) {
      return sqsWorkQueue(work);
    }

    private SqsWorkQueue sqsWorkQueue(String work) {
      String url = SqsQueues.ensure(server.client(), work, 10).queueUrl();
      return new SqsWorkQueue(
          server.client(), url, codec, Clock.systemUTC(), SqsOptions.defaults());
    }

    @Override
    EventQueue eventQueue(String work, String events) {
      String url = SqsQueues.ensure(server.client(), events, 10).queueUrl();
      return new SqsEventQueue(server.client(), url, codec, SqsOptions.defaults());
    }

    @Override
    List<String> workerArgs(String work, String events) {
      return List.of(
          "--spring.cloud.aws.sqs.endpoint=" + server.endpoint(),
          "--spring.cloud.aws.region.static=us-east-1",
          "--spring.cloud.aws.credentials.access-key=bench",
          "--spring.cloud.aws.credentials.secret-key=bench",
          "--spotbatch.queue.work=" + work,
          "--spotbatch.queue.events=" + events);
    }

    @Override
    public void close() {
      server.close();
    }
  }

  /**
   * Kafka share groups on an in-process broker. Each work topic gets its own share group ({@code
   * <work>-workers}), shared by the worker and the benchmark's observer, so a RELEASEd record is
   * what either receives next; the events are read through {@code <events>-reader}.
   */
  static final class Kafka extends BenchQueue {
    private final LocalKafkaBroker broker = LocalKafkaBroker.start();
    private final int partitions;

    Kafka(int partitions) {
      this.partitions = partitions;
    }

    @Override
    String type() {
      return "kafka";
    }

    private KafkaOptions options(String work, String events, int slots) {
      return KafkaOptions.defaults(broker.bootstrapServers())
          .withTopics(work, events)
          .withGroups(work + "-workers", events + "-reader")
          .withPartitions(partitions)
          .withSlots(slots);
    }

    @Override
    void ensure(String work, String events) {
      KafkaTopics.ensure(options(work, events, 0));
    }

    @Override
    WorkSubmitter submitter(String work, String events) {
      return new KafkaWorkSubmitter(options(work, events, 0), codec, Clock.systemUTC());
    }

    @Override
    WorkSource source(String work, String events, int slots) {
      return new KafkaShareWorkQueue(options(work, events, slots), codec, Clock.systemUTC());
    }

    @Override
    EventQueue eventQueue(String work, String events) {
      return new KafkaEventQueue(options(work, events, 0), codec);
    }

    @Override
    List<String> workerArgs(String work, String events) {
      return List.of(
          "--spotbatch.queue.type=kafka",
          "--spotbatch.queue.kafka.bootstrap-servers=" + broker.bootstrapServers(),
          "--spotbatch.queue.kafka.work-group=" + work + "-workers",
          "--spotbatch.queue.kafka.events-group=" + events + "-reader",
          "--spotbatch.queue.kafka.partitions=" + partitions,
          "--spring.cloud.aws.region.static=us-east-1",
          "--spring.cloud.aws.credentials.access-key=bench",
          "--spring.cloud.aws.credentials.secret-key=bench",
          "--spotbatch.queue.work=" + work,
          "--spotbatch.queue.events=" + events);
    }

    @Override
    public void close() {
      broker.close();
    }
  }

  /**
   * No broker: common's in-memory queues ({@code spotbatch.queue.type=memory}), registered in the
   * worker's context as its {@code WorkSource} and {@code EventQueue}. Nothing polls over a socket,
   * so the worker's CPU is its own: reading, batching, the model, writing, events.
   */
  static final class Memory extends BenchQueue {
    private final Map<String, InMemoryWorkQueue> work = new ConcurrentHashMap<>();
    private final Map<String, InMemoryEventQueue> events = new ConcurrentHashMap<>();

    @Override
    String type() {
      return "memory";
    }

    @Override
    void ensure(String work, String events) {
      this.work.computeIfAbsent(work, k -> new InMemoryWorkQueue());
      this.events.computeIfAbsent(events, k -> new InMemoryEventQueue());
    }

    @Override
    WorkSubmitter submitter(String work, String events) {
      return this.work.get(work);
    }

    @Override
    WorkSource source(String work, String events, int slots) {
      return this.work.get(work);
    }

    @Override
    EventQueue eventQueue(String work, String events) {
      return this.events.get(events);
    }

    @Override
    List<String> workerArgs(String work, String events) {
      return List.of(
          "--spotbatch.queue.type=memory",
          "--spring.cloud.aws.region.static=us-east-1",
          "--spring.cloud.aws.credentials.access-key=bench",
          "--spring.cloud.aws.credentials.secret-key=bench",
          "--spotbatch.queue.work=" + work,
          "--spotbatch.queue.events=" + events);
    }

    @Override
    void prepare(SpringApplicationBuilder app, String work, String events) {
      InMemoryWorkQueue source = this.work.get(work);
      InMemoryEventQueue sink = this.events.get(events);
      app.initializers(
          context -> {
            context.getBeanFactory().registerSingleton("workQueue", source);
            context.getBeanFactory().registerSingleton("eventQueue", sink);
          });
    }

    @Override
    public void close() {
      work.values().forEach(InMemoryWorkQueue::close);
      events.values().forEach(InMemoryEventQueue::close);
    }
  }
}
