package dev.spotbatch.dispatcher.config;

import dev.spotbatch.codec.MessageCodec;
import dev.spotbatch.dispatcher.events.EventConsumer;
import dev.spotbatch.dispatcher.events.Transactions;
import dev.spotbatch.dispatcher.job.JobStore;
import dev.spotbatch.dispatcher.job.ManifestWriter;
import dev.spotbatch.dispatcher.recovery.DeadLetterSweeper;
import dev.spotbatch.dispatcher.recovery.Reconciler;
import dev.spotbatch.dispatcher.recovery.RecoveryLoop;
import dev.spotbatch.dispatcher.recovery.RecoveryStore;
import dev.spotbatch.queue.DeadLetterQueue;
import dev.spotbatch.queue.WorkSubmitter;
import dev.spotbatch.queue.kafka.KafkaDeadLetterQueue;
import dev.spotbatch.queue.kafka.KafkaOptions;
import dev.spotbatch.queue.sqs.SqsDeadLetterQueue;
import dev.spotbatch.queue.sqs.SqsOptions;
import dev.spotbatch.queue.sqs.SqsQueueResolver;
import java.time.Clock;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * Wires recovery: the reconciler, the dead-letter sweeper on the broker's dead-letter queue (SQS:
 * {@code <work>-dlq} or {@code spotbatch.recovery.dead-letter-queue}; Kafka: the {@code <work>-dlq}
 * topic), and the loop that runs both, started with the context and stopped before the queues
 * close.
 */
@Configuration(proxyBeanMethods = false)
public class RecoveryConfig {
  private static final Logger log = LoggerFactory.getLogger(RecoveryConfig.class);

  @Bean
  RecoveryStore recoveryStore(DataSource dataSource) {
    return new RecoveryStore(dataSource);
  }

  @Bean
  DeadLetterSweeper.Meters deadLetterMeters(io.micrometer.core.instrument.MeterRegistry meters) {
    return new DeadLetterSweeper.Meters(meters);
  }

  @Bean
  Reconciler reconciler(
      RecoveryStore store,
      JobStore jobs,
      WorkSubmitter queue,
      RecoveryProperties props,
      EventConsumer events,
      Clock clock,
      io.micrometer.core.instrument.MeterRegistry meters) {
    return new Reconciler(store, jobs, queue, props.settings(), events::caughtUpAt, clock, meters);
  }

  @Bean
  RecoveryLoop recoveryLoop(
      Reconciler reconciler,
      ObjectProvider<DeadLetterQueue> deadLetters,
      JobStore jobs,
      ManifestWriter manifests,
      Transactions tx,
      Clock clock,
      RecoveryProperties props,
      DeadLetterSweeper.Meters meters) {
    DeadLetterQueue dlq = deadLetters.getIfAvailable();
    Optional<DeadLetterSweeper> sweeper =
        dlq == null
            ? Optional.empty()
            : Optional.of(
                new DeadLetterSweeper(
                    dlq, jobs, manifests, tx, clock, props.settings().deadLetterBatch(), meters));
    if (sweeper.isEmpty()) {
      log.warn("no dead-letter queue to watch: items the broker gives up on are not marked failed");
    }
    return new RecoveryLoop(reconciler, sweeper, props.settings().interval());
  }

  /** Starts recovery with the context and stops it (after its current round) on close. */
  @Bean
  SmartLifecycle recoveryLifecycle(RecoveryLoop loop) {
    return new SmartLifecycle() {
      @Override
      public void start() {
        loop.start();
      }

      @Override
      public void stop() {
        loop.stop();
      }

      @Override
      public boolean isRunning() {
        return loop.isRunning();
      }
    };
  }

  /** The SQS dead-letter queue, if it exists (Terraform and the embedded default create it). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(name = "spotbatch.queue.type", havingValue = "sqs", matchIfMissing = true)
  static class Sqs {
    @Bean(destroyMethod = "close")
    DeadLetterQueue deadLetterQueue(
        SqsAsyncClient client,
        QueueConfig.SqsQueueUrls urls, // created after the queues (the embedded default makes them)
        SpotbatchProperties props,
        RecoveryProperties recovery,
        MessageCodec codec) {
      String name = recovery.deadLetterQueueFor(props.queue().work());
      Optional<String> url = new SqsQueueResolver(client).find(name);
      if (url.isEmpty()) {
        log.warn(
            "SQS dead-letter queue '{}' not found (set spotbatch.recovery.dead-letter-queue to"
                + " the work queue's redrive target); dead letters are not watched",
            name);
        return null;
      }
      log.info("watching dead letters on SQS queue {} (work queue {})", url.get(), urls.work());
      return new SqsDeadLetterQueue(client, url.get(), codec, SqsOptions.defaults());
    }
  }

  /** The Kafka dead-letter topic (created with the other topics). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(name = "spotbatch.queue.type", havingValue = "kafka")
  static class Kafka {
    @Bean(destroyMethod = "close")
    DeadLetterQueue deadLetterQueue(KafkaOptions options, MessageCodec codec) {
      return new KafkaDeadLetterQueue(options, codec);
    }
  }
}
