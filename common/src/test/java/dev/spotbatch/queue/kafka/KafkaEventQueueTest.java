package dev.spotbatch.queue.kafka;

import dev.spotbatch.codec.MessageCodec;
import dev.spotbatch.queue.EventQueue;
import dev.spotbatch.testing.EventQueueContract;
import dev.spotbatch.testing.SharedKafka;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** The event queue contract on {@link KafkaEventQueue} and an in-process KRaft broker. */
class KafkaEventQueueTest extends EventQueueContract {
  private KafkaOptions options;

  @Override
  protected EventQueue newQueue() {
    options = KafkaWorkQueueContract.options(SharedKafka.bootstrapServers(), 5);
    KafkaTopics.ensure(options);
    return new KafkaEventQueue(options, new MessageCodec());
  }

  @Override
  protected void sendRaw(String body) throws Exception {
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", SharedKafka.bootstrapServers()),
            new StringSerializer(),
            new StringSerializer())) {
      producer.send(new ProducerRecord<>(options.eventsTopic(), body)).get(10, TimeUnit.SECONDS);
    }
  }

  /** A new share consumer joins its group before its first fetch. */
  @Override
  protected Duration patience() {
    return Duration.ofSeconds(8);
  }
}
