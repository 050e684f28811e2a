package dev.spotbatch.queue.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaOptionsTest {
  private final KafkaOptions options = KafkaOptions.defaults("b1:9092,b2:9092");

  @Test
  void picksTheSmallestDelayTierAtLeastAsLongAsAskedAndCapsAtTheLongest() {
    assertThat(options.tierFor(Duration.ofMillis(200))).isEqualTo(Duration.ofSeconds(1));
    assertThat(options.tierFor(Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(5));
    assertThat(options.tierFor(Duration.ofSeconds(6))).isEqualTo(Duration.ofSeconds(30));
    assertThat(options.tierFor(Duration.ofHours(2))).isEqualTo(Duration.ofMinutes(15));
    assertThat(options.maxDelay()).isEqualTo(Duration.ofMinutes(15));
  }

  @Test
  void namesTheDerivedTopics() {
    assertThat(options.deadLetterTopic()).isEqualTo("spotbatch-work-dlq");
    assertThat(options.delayTopic(Duration.ofMinutes(2))).isEqualTo("spotbatch-work-delay-120s");
  }

  @Test
  void neverShowsClientPropertyValues() {
    KafkaOptions secret =
        options.withClientProperties(Map.of("sasl.jaas.config", "password=\"hunter2\""));
    assertThat(secret.toString()).contains("sasl.jaas.config").doesNotContain("hunter2");
  }

  @Test
  void rejectsSettingsThatCannotWork() {
    assertThatThrownBy(() -> options.withDelayTiers(List.of())).hasMessageContaining("delayTiers");
    assertThatThrownBy(
            () -> options.withDelayTiers(List.of(Duration.ofSeconds(5), Duration.ofSeconds(1))))
        .hasMessageContaining("ascending");
    assertThatThrownBy(() -> options.withDelayTiers(List.of(Duration.ofMillis(1500))))
        .hasMessageContaining("whole positive seconds");
    assertThatThrownBy(() -> options.withMaxReceiveCount(10))
        .hasMessageContaining("maxReceiveCount");
    assertThatThrownBy(() -> options.withLockDuration(Duration.ofMillis(500)))
        .hasMessageContaining("lockDuration");
    assertThatThrownBy(() -> KafkaOptions.defaults(" ")).hasMessageContaining("bootstrapServers");
  }

  @Test
  void copiesChangeOnlyWhatTheyName() {
    KafkaOptions changed = options.withSlots(4).withTopics("w", "e");
    assertThat(changed.slots()).isEqualTo(4);
    assertThat(changed.workTopic()).isEqualTo("w");
    assertThat(changed.eventsTopic()).isEqualTo("e");
    assertThat(changed.lockDuration()).isEqualTo(options.lockDuration());
    assertThat(changed.bootstrapServers()).isEqualTo(options.bootstrapServers());
  }
}
