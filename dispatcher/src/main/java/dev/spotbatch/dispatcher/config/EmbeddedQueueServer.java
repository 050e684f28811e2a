package dev.spotbatch.dispatcher.config;

/**
 * A queue server running inside the dispatcher's own process: the embedded default's ElasticMQ or
 * Kafka broker, which spotbatch-local provides (the production dispatcher has none). When one
 * exists the queue wiring starts after it, creates the queues on it instead of resolving queues
 * made by Terraform, and on Kafka connects to it instead of {@code
 * spotbatch.queue.kafka.bootstrap-servers}.
 */
public interface EmbeddedQueueServer {
  /**
   * Where clients reach it, in the configured queue type's terms: the SQS endpoint URL, or the
   * Kafka bootstrap servers.
   */
  String address();
}
