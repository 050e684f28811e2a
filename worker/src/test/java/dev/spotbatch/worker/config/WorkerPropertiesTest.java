package dev.spotbatch.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotbatch.drain.DrainSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerPropertiesTest {

  static WorkerProperties props(String id, Duration lease, Duration heartbeat, List<String> roots) {
    return new WorkerProperties(
        id,
        2,
        1,
        null,
        32,
        Duration.ofMillis(20),
        lease,
        heartbeat,
        Duration.ofSeconds(10),
        Duration.ofSeconds(5),
        Duration.ofMinutes(15),
        Duration.ofSeconds(30),
        roots == null ? List.of("s3://bucket/") : roots,
        null,
        null,
        null,
        null,
        null,
        null,
        0);
  }

  @Test
  void fillsDefaultsForIdThreadsAndLocalInstanceFacts() {
    WorkerProperties p = props(null, Duration.ofSeconds(60), Duration.ofSeconds(20), null);
    assertThat(p.id()).isNotBlank();
    assertThat(p.intraOpThreads()).isPositive();
    assertThat(p.instanceFacts().provider()).isEqualTo("local");
    assertThat(p.instanceFacts().instanceId()).isEqualTo(p.id());
    assertThat(p.preloadModels()).containsExactly("all-minilm-l6-v2");
  }

  @Test
  void givesTheLocalStoreOnlyTheFileRoots() {
    WorkerProperties p =
        props(
            "w",
            Duration.ofSeconds(60),
            Duration.ofSeconds(20),
            List.of("file:///data/", "s3://bucket/jobs/"));
    assertThat(p.localRoots()).extracting(Object::toString).containsExactly("/data");
    assertThat(p.allowedRootUris()).hasSize(2);
  }

  @Test
  void rejectsAHeartbeatThatIsNotWellBeforeExpiry() {
    assertThatThrownBy(() -> props("w", Duration.ofSeconds(60), Duration.ofSeconds(40), null))
        .hasMessageContaining("heartbeat-interval");
  }

  @Test
  void refusesToStartWithoutAllowedRoots() {
    assertThatThrownBy(() -> props("w", Duration.ofSeconds(60), Duration.ofSeconds(20), List.of()))
        .hasMessageContaining("spotbatch.worker.allowed-roots is empty");
  }

  @Test
  void rejectsAnUnusableAllowedRoot() {
    assertThatThrownBy(
            () -> props("w", Duration.ofSeconds(60), Duration.ofSeconds(20), List.of("http://x/")))
        .hasMessageContaining("allowed-roots");
  }

  @Test
  void readsExtraOnnxModelsFromFileUris() {
    var spec =
        new WorkerProperties.ModelSpec(
            "file:///models/e5.onnx", "file:///models/tokenizer.json", 768, 512, false);
    assertThat(spec.onnxPath()).hasToString("/models/e5.onnx");
    assertThatThrownBy(
            () -> new WorkerProperties.ModelSpec("s3://b/m.onnx", "file:///t.json", 768, 512, true))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void drainDefaultsToAFiveSecondMarginAndExitAfterItsItemsOnRebalance() {
    WorkerProperties p = props(null, Duration.ofSeconds(60), Duration.ofSeconds(20), null);
    assertThat(p.drain().safetyMargin()).isEqualTo(Duration.ofSeconds(5));
    assertThat(p.drain().rebalancePolicy())
        .isEqualTo(dev.spotbatch.drain.RebalancePolicy.STOP_LEASING_THEN_EXIT);
    assertThat(p.drain().tick()).isPositive();
    assertThatThrownBy(
            () -> new WorkerProperties.Drain(Duration.ofSeconds(-1), null, null, null, null))
        .hasMessageContaining("drain.safety-margin");
  }

  @Test
  void drainAbandonsAtHalfAndExitsAtAQuarterOfTheSafetyMarginUnlessTold() {
    WorkerProperties.Drain derived =
        new WorkerProperties.Drain(Duration.ofSeconds(8), null, null, null, null);
    assertThat(derived.margins())
        .isEqualTo(
            new DrainSettings.Margins(
                Duration.ofSeconds(8), Duration.ofSeconds(4), Duration.ofSeconds(2)));

    WorkerProperties.Drain told =
        new WorkerProperties.Drain(
            Duration.ofSeconds(8), null, null, Duration.ofSeconds(6), Duration.ofSeconds(1));
    assertThat(told.margins().abandon()).isEqualTo(Duration.ofSeconds(6));
    assertThat(told.margins().exit()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void drainMarginsMustComeInOrderBeforeTheDeadline() {
    Duration safety = Duration.ofSeconds(8);
    assertThatThrownBy(
            () -> new WorkerProperties.Drain(safety, null, null, Duration.ofSeconds(9), null))
        .hasMessageContaining("drain.abandon-margin")
        .hasMessageContaining("drain.safety-margin");
    assertThatThrownBy(
            () ->
                new WorkerProperties.Drain(
                    safety, null, null, Duration.ofSeconds(2), Duration.ofSeconds(3)))
        .hasMessageContaining("drain.exit-margin")
        .hasMessageContaining("drain.abandon-margin");
    assertThatThrownBy(
            () -> new WorkerProperties.Drain(safety, null, null, null, Duration.ofSeconds(-1)))
        .hasMessageContaining("drain.exit-margin");
  }
}
