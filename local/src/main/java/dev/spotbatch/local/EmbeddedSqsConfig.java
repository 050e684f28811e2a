package dev.spotbatch.local;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Starts ElasticMQ in this process when {@code spotbatch.embedded.sqs.enabled=true} (the local
 * profile) and the queue type is {@code sqs} (the default); the SQS client points at it through
 * {@code spring.cloud.aws.sqs.endpoint}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression(
    "${spotbatch.embedded.sqs.enabled:false} and '${spotbatch.queue.type:sqs}' == 'sqs'")
public class EmbeddedSqsConfig {
  @Bean(destroyMethod = "close")
  EmbeddedSqsServer embeddedSqsServer(EmbeddedProperties props) {
    return EmbeddedSqsServer.start(props.sqs().port());
  }
}
