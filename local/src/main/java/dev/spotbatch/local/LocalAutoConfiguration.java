package dev.spotbatch.local;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

/**
 * The embedded default, added to the dispatcher when spotbatch-local is on its class path: the
 * in-process SQS server or Kafka broker and the local process fleet, each only when its settings
 * turn it on (the {@code local} profile does).
 */
@AutoConfiguration
@EnableConfigurationProperties({EmbeddedProperties.class, LocalFleetProperties.class})
@Import({EmbeddedSqsConfig.class, EmbeddedKafkaConfig.class, LocalFleetConfig.class})
public class LocalAutoConfiguration {}
