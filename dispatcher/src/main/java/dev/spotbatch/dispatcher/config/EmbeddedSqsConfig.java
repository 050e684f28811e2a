package dev.spotbatch.dispatcher.config;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Starts ElasticMQ in this process when {@code spotbatch.embedded.sqs.enabled=true} (the local
 * profile); the SQS client points at it through {@code spring.cloud.aws.sqs.endpoint}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "spotbatch.embedded.sqs.enabled", havingValue = "true")
public class EmbeddedSqsConfig {
  @Bean(destroyMethod = "close")
  EmbeddedSqsServer embeddedSqsServer(SpotbatchProperties props) {
    return EmbeddedSqsServer.start(props.embedded().sqs().port());
  }
}
