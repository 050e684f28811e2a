package dev.spotbatch.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class QueuePropertiesTest {
  static QueueProperties bind(Map<String, String> properties) {
    return new Binder(new MapConfigurationPropertySource(properties))
        .bindOrCreate("spotbatch.queue", QueueProperties.class);
  }

  @Test
  void defaultsToSqsQueuesWithTheSharedNames() {
    QueueProperties q = bind(Map.of());
    assertThat(q.type()).isEqualTo(QueueProperties.Type.SQS);
    assertThat(q.work()).isEqualTo("spotbatch-work");
    assertThat(q.events()).isEqualTo("spotbatch-events");
    assertThat(q.maxReceiveCount()).isEqualTo(10);
    assertThat(q.kafka().workGroup()).isEqualTo("spotbatch-workers");
    assertThat(q.nameArgs()).isEmpty();
  }

  @Test
  void bindsTheTypeInLowerCaseAsInEveryConfiguration() {
    assertThat(bind(Map.of("spotbatch.queue.type", "kafka")).type())
        .isEqualTo(QueueProperties.Type.KAFKA);
    assertThat(bind(Map.of("spotbatch.queue.type", "memory")).type())
        .isEqualTo(QueueProperties.Type.MEMORY);
  }

  @Test
  void givesAnotherProcessOnlyTheNamesThatDifferFromTheDefaults() {
    assertThat(bind(Map.of("spotbatch.queue.work", "w")).nameArgs())
        .containsExactly("--spotbatch.queue.work=w");
    assertThat(bind(Map.of("spotbatch.queue.work", "w", "spotbatch.queue.events", "e")).nameArgs())
        .containsExactly("--spotbatch.queue.work=w", "--spotbatch.queue.events=e");
  }

  @Test
  void refusesBlankNamesAndAnImpossibleReceiveCount() {
    assertThatThrownBy(() -> bind(Map.of("spotbatch.queue.work", " ")))
        .hasStackTraceContaining("must not be blank");
    assertThatThrownBy(() -> bind(Map.of("spotbatch.queue.max-receive-count", "0")))
        .hasStackTraceContaining("spotbatch.queue.max-receive-count must be between 1 and 1000");
  }
}
