package dev.spotbatch.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local profile's broker keeps its records across a restart on the same directory. */
class EmbeddedKafkaBrokerTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  @Test
  void aRestartOnTheSameDirectoryKeepsTopicsAndRecords() throws Exception {
    Path logs = dir.resolve("kafka");
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(logs, CLOCK)) {
      try (Admin admin = admin(broker)) {
        admin
            .createTopics(List.of(new NewTopic("kept", Optional.of(1), Optional.empty())))
            .all()
            .get();
      }
      try (KafkaProducer<String, String> producer =
          new KafkaProducer<>(
              Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()),
              new StringSerializer(),
              new StringSerializer())) {
        producer.send(new ProducerRecord<>("kept", "item-1", "queued")).get();
      }
    }

    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(logs, CLOCK)) {
      assertThat(broker.restartedEmpty()).isFalse();
      try (KafkaConsumer<String, String> consumer =
          new KafkaConsumer<>(
              Map.<String, Object>of(
                  "bootstrap.servers",
                  broker.bootstrapServers(),
                  "group.id",
                  "check",
                  "auto.offset.reset",
                  "earliest"),
              new StringDeserializer(),
              new StringDeserializer())) {
        consumer.subscribe(List.of("kept"));
        ConsumerRecord<String, String> record = null;
        for (int i = 0; i < 30 && record == null; i++) {
          var records = consumer.poll(Duration.ofSeconds(1));
          if (!records.isEmpty()) {
            record = records.iterator().next();
          }
        }
        assertThat(record).isNotNull();
        assertThat(record.key()).isEqualTo("item-1");
        assertThat(record.value()).isEqualTo("queued");
      }
    }
  }

  @Test
  void onADirectoryItCannotStartOnTheBrokerStartsEmpty() throws Exception {
    Path logs = dir.resolve("kafka");
    Files.createDirectories(logs);
    // where the broker's node directory should be, a file: formatting fails
    Files.writeString(logs.resolve("combined_0_0"), "not a directory");

    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(logs, CLOCK)) {
      assertThat(broker.restartedEmpty()).isTrue();
      try (Admin admin = admin(broker)) {
        assertThat(admin.listTopics().names().get()).isEmpty();
      }
    }
    // this failure is in the test kit's build, which deletes the directory: nothing to move aside
    assertThat(dir.resolve("kafka.unusable-20260101T000000")).doesNotExist();
  }

  static Admin admin(EmbeddedKafkaBroker broker) {
    return Admin.create(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()));
  }
}
