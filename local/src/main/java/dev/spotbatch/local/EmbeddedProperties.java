package dev.spotbatch.local;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code spotbatch.embedded.*}: the queue servers the embedded default runs in the dispatcher's
 * process.
 *
 * @param sqs the in-process ElasticMQ server (started when the queue type is {@code sqs})
 * @param kafka the in-process Kafka broker (started when the queue type is {@code kafka})
 */
@ConfigurationProperties("spotbatch.embedded")
public record EmbeddedProperties(@DefaultValue Sqs sqs, @DefaultValue Kafka kafka) {
  /** The in-process ElasticMQ server of the local profile. */
  public record Sqs(@DefaultValue("false") boolean enabled, @DefaultValue("9324") int port) {}

  /**
   * The in-process single-node Kafka broker of the local profile; its logs live under {@code
   * <data-dir>/kafka}, so a restart keeps queued work.
   */
  public record Kafka(@DefaultValue("false") boolean enabled) {}
}
