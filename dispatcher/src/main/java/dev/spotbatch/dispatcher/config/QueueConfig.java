package dev.spotbatch.dispatcher.config;

import dev.spotbatch.codec.MessageCodec;
import dev.spotbatch.queue.EventQueue;
import dev.spotbatch.queue.WorkQueue;
import dev.spotbatch.queue.memory.InMemoryEventQueue;
import dev.spotbatch.queue.memory.InMemoryWorkQueue;
import dev.spotbatch.queue.sqs.SqsEventQueue;
import dev.spotbatch.queue.sqs.SqsOptions;
import dev.spotbatch.queue.sqs.SqsQueues;
import dev.spotbatch.queue.sqs.SqsWorkQueue;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * The work and event queues: SQS ({@code spotbatch.queue.type=sqs}, the default) through the Spring
 * Cloud AWS {@link SqsAsyncClient}, or in memory ({@code memory}, for tests).
 */
@Configuration(proxyBeanMethods = false)
public class QueueConfig {

  /** In-memory queues, for tests and experiments in one process. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(name = "spotbatch.queue.type", havingValue = "memory")
  static class Memory {
    @Bean(destroyMethod = "close")
    InMemoryWorkQueue workQueue(Clock clock, SpotbatchProperties props) {
      return new InMemoryWorkQueue(clock, props.queue().maxReceiveCount());
    }

    @Bean(destroyMethod = "close")
    InMemoryEventQueue eventQueue() {
      return new InMemoryEventQueue();
    }
  }

  /**
   * SQS queues, by name. With the embedded server (local profile) the queues and their dead-letter
   * queues are created at startup; in production they come from Terraform and are only resolved to
   * URLs.
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
        ObjectProvider<EmbeddedSqsServer> embedded) {
      SpotbatchProperties.Queue q = props.queue();
      if (embedded.getIfAvailable() != null) {
        return new SqsQueueUrls(
            SqsQueues.ensure(client, q.work(), q.maxReceiveCount()).queueUrl(),
            SqsQueues.ensure(client, q.events(), q.maxReceiveCount()).queueUrl());
      }
      return new SqsQueueUrls(
          client.getQueueUrl(b -> b.queueName(q.work())).join().queueUrl(),
          client.getQueueUrl(b -> b.queueName(q.events())).join().queueUrl());
    }

    @Bean(destroyMethod = "close")
    WorkQueue workQueue(SqsAsyncClient client, SqsQueueUrls urls, MessageCodec codec, Clock clock) {
      return new SqsWorkQueue(client, urls.work(), codec, clock, SqsOptions.defaults());
    }

    @Bean(destroyMethod = "close")
    EventQueue eventQueue(SqsAsyncClient client, SqsQueueUrls urls, MessageCodec codec) {
      return new SqsEventQueue(client, urls.events(), codec, SqsOptions.defaults());
    }
  }

  /** The URLs of the work and event queues. */
  public record SqsQueueUrls(String work, String events) {}
}
