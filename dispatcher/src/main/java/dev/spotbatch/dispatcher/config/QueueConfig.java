package dev.spotbatch.dispatcher.config;

import dev.spotbatch.boot.QueueProperties;
import dev.spotbatch.codec.MessageCodec;
import dev.spotbatch.queue.EventQueue;
import dev.spotbatch.queue.WorkSubmitter;
import dev.spotbatch.queue.kafka.KafkaDelayForwarder;
import dev.spotbatch.queue.kafka.KafkaEventQueue;
import dev.spotbatch.queue.kafka.KafkaOptions;
import dev.spotbatch.queue.kafka.KafkaTopics;
import dev.spotbatch.queue.kafka.KafkaWorkSubmitter;
import dev.spotbatch.queue.sqs.SqsEventQueue;
import dev.spotbatch.queue.sqs.SqsOptions;
import dev.spotbatch.queue.sqs.SqsQueueResolver;
import dev.spotbatch.queue.sqs.SqsQueues;
import dev.spotbatch.queue.sqs.SqsWorkQueue;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * The dispatcher's end of the work queue ({@link WorkSubmitter}) and the event queue: SQS ({@code
 * spotbatch.queue.type=sqs}, the default) through the Spring Cloud AWS {@link SqsAsyncClient}, or
 * Kafka share groups ({@code kafka}). Tests may also use {@code memory}: its beans come from the
 * tests, not from here.
 */
@Configuration(proxyBeanMethods = false)
public class QueueConfig {
  private static final Logger log = LoggerFactory.getLogger(QueueConfig.class);

  /**
   * SQS queues, by name. With an embedded server (the embedded default) the queues and their
   * dead-letter queues are created at startup; in production they come from Terraform and are only
   * resolved to URLs.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(name = "spotbatch.queue.type", havingValue = "sqs", matchIfMissing = true)
  static class Sqs {
    @Bean
    MessageCodec messageCodec() {
      return new MessageCodec();
    }

    @Bean
    SqsQueueUrls sqsQueueUrls(
        SqsAsyncClient client,
        SpotbatchProperties props,
        ObjectProvider<EmbeddedQueueServer> embedded) {
      QueueProperties q = props.queue();
      if (embedded.getIfAvailable() != null) {
        return new SqsQueueUrls(
            SqsQueues.ensure(client, q.work(), q.maxReceiveCount()).queueUrl(),
            SqsQueues.ensure(client, q.events(), q.maxReceiveCount()).queueUrl());
      }
      // they exist before the dispatcher starts: look once (transient errors are retried)
      SqsQueueResolver resolver = new SqsQueueResolver(client);
      return new SqsQueueUrls(
          resolver.url(q.work(), Duration.ZERO), resolver.url(q.events(), Duration.ZERO));
    }

    @Bean(destroyMethod = "close")
    WorkSubmitter workQueue(
        SqsAsyncClient client, SqsQueueUrls urls, MessageCodec codec, Clock clock) {
      return new SqsWorkQueue(client, urls.work(), codec, clock, SqsOptions.defaults());
    }

    @Bean(destroyMethod = "close")
    EventQueue eventQueue(SqsAsyncClient client, SqsQueueUrls urls, MessageCodec codec) {
      return new SqsEventQueue(client, urls.events(), codec, SqsOptions.defaults());
    }
  }

  /**
   * Kafka share groups. The dispatcher creates the topics and sets the groups' configuration at
   * startup ({@link KafkaTopics#ensure}), produces work items ({@link KafkaWorkSubmitter}: no share
   * consumer), reads events through its own share group, and runs the delay forwarder that moves
   * due retries from the delay-tier topics back to the work topic.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(name = "spotbatch.queue.type", havingValue = "kafka")
  static class Kafka {
    @Bean
    MessageCodec messageCodec() {
      return new MessageCodec();
    }

    /** The validated options, once the topics and share groups exist. */
    @Bean
    KafkaOptions kafkaOptions(
        SpotbatchProperties props, ObjectProvider<EmbeddedQueueServer> embedded) {
      QueueProperties q = props.queue();
      EmbeddedQueueServer broker = embedded.getIfAvailable();
      String bootstrap = broker != null ? broker.address() : q.kafka().bootstrapServers();
      KafkaOptions options = q.kafka().toOptions(bootstrap, q.work(), q.events(), 0, "slots");
      log.info("Kafka queues: {}", options);
      KafkaTopics.ensure(options);
      return options;
    }

    @Bean(destroyMethod = "close")
    WorkSubmitter workQueue(KafkaOptions options, MessageCodec codec, Clock clock) {
      return new KafkaWorkSubmitter(options, codec, clock);
    }

    @Bean(destroyMethod = "close")
    EventQueue eventQueue(KafkaOptions options, MessageCodec codec) {
      return new KafkaEventQueue(options, codec);
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    KafkaDelayForwarder kafkaDelayForwarder(KafkaOptions options, Clock clock) {
      return new KafkaDelayForwarder(options, clock);
    }
  }

  /** The URLs of the work and event queues. */
  public record SqsQueueUrls(String work, String events) {}
}
