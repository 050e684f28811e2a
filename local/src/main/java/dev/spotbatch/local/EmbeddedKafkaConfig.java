package dev.spotbatch.local;

import dev.spotbatch.dispatcher.config.SpotbatchProperties;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Starts a single-node Kafka broker in this process when {@code
 * spotbatch.embedded.kafka.enabled=true} and {@code spotbatch.queue.type=kafka} (the local profile
 * enables it; it starts only on Kafka). The Kafka queues and the local fleet use its bootstrap
 * servers instead of {@code spotbatch.queue.kafka.bootstrap-servers}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression(
    "${spotbatch.embedded.kafka.enabled:false} and '${spotbatch.queue.type:sqs}' == 'kafka'")
public class EmbeddedKafkaConfig {
  @Bean(destroyMethod = "close")
  EmbeddedKafkaBroker embeddedKafkaBroker(SpotbatchProperties props, Clock clock) {
    return EmbeddedKafkaBroker.start(props.dataPath().resolve("kafka"), clock);
  }
}
