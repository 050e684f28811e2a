package dev.spotbatch.worker.config;

import dev.spotbatch.boot.QueueProperties;
import dev.spotbatch.codec.MessageCodec;
import dev.spotbatch.queue.EventQueue;
import dev.spotbatch.queue.QueueException;
import dev.spotbatch.queue.WorkSource;
import dev.spotbatch.queue.kafka.KafkaEventQueue;
import dev.spotbatch.queue.kafka.KafkaOptions;
import dev.spotbatch.queue.kafka.KafkaShareWorkQueue;
import dev.spotbatch.queue.sqs.SqsEventQueue;
import dev.spotbatch.queue.sqs.SqsOptions;
import dev.spotbatch.queue.sqs.SqsQueueResolver;
import dev.spotbatch.queue.sqs.SqsWorkQueue;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * Spring wiring of the worker's two queues ({@code spotbatch.queue.type}): SQS through the Spring
 * Cloud AWS client, or Kafka share groups. The runtime's stop chain closes them, not bean destroy
 * methods (hence {@code destroyMethod = ""}).
 */
@Configuration(proxyBeanMethods = false)
class QueueConfiguration {
  private static final Logger log = LoggerFactory.getLogger(QueueConfiguration.class);

  /** The SQS queues, by name, on the Spring Cloud AWS {@link SqsAsyncClient}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(name = "spotbatch.queue.type", havingValue = "sqs", matchIfMissing = true)
  static class SqsQueues {
    /**
     * How long a starting worker waits for its queues: the dispatcher may still be creating them.
     */
    static final Duration WAIT_FOR_QUEUES = Duration.ofSeconds(15);

    @Bean
    SqsQueueResolver sqsQueueResolver(SqsAsyncClient client) {
      return new SqsQueueResolver(client);
    }

    @Bean(destroyMethod = "")
    WorkSource workQueue(
        SqsAsyncClient client,
        SqsQueueResolver resolver,
        QueueProperties queues,
        MessageCodec codec,
        Clock clock) {
      return new SqsWorkQueue(
          client, queueUrl(resolver, queues.work()), codec, clock, SqsOptions.defaults());
    }

    @Bean(destroyMethod = "")
    EventQueue eventQueue(
        SqsAsyncClient client,
        SqsQueueResolver resolver,
        QueueProperties queues,
        MessageCodec codec) {
      return new SqsEventQueue(
          client, queueUrl(resolver, queues.events()), codec, SqsOptions.defaults());
    }

    private static String queueUrl(SqsQueueResolver resolver, String name) {
      try {
        return resolver.url(name, WAIT_FOR_QUEUES);
      } catch (QueueException e) {
        throw new IllegalStateException(
            e.getMessage()
                + "; check spring.cloud.aws.sqs.endpoint, spring.cloud.aws.region.static and"
                + " spotbatch.queue.*",
            e);
      }
    }
  }

  /**
   * Kafka share groups: one share consumer per lease slot ({@code spotbatch.worker.concurrency}).
   * The dispatcher creates the topics and groups. No SQS setting is needed ({@link
   * dev.spotbatch.boot.SqsClientSwitch} turns the SQS client off); the S3 client still wants a
   * region unless {@code spring.cloud.aws.s3.enabled=false}.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(name = "spotbatch.queue.type", havingValue = "kafka")
  static class KafkaQueues {
    @Bean
    KafkaOptions kafkaOptions(QueueProperties queues, WorkerProperties props) {
      KafkaOptions options =
          queues
              .kafka()
              .toOptions(
                  queues.kafka().bootstrapServers(),
                  queues.work(),
                  queues.events(),
                  props.concurrency(),
                  "spotbatch.worker.concurrency");
      log.info("Kafka queues: {}", options);
      return options;
    }

    @Bean(destroyMethod = "")
    WorkSource workQueue(KafkaOptions options, MessageCodec codec, Clock clock) {
      return new KafkaShareWorkQueue(options, codec, clock);
    }

    @Bean(destroyMethod = "")
    EventQueue eventQueue(KafkaOptions options, MessageCodec codec) {
      return new KafkaEventQueue(options, codec);
    }
  }
}
