package dev.spotbatch.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotbatch.worker.inference.OnnxOptions;
import dev.spotbatch.worker.inference.OnnxSpinning;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class OnnxPropertiesTest {

  private static OnnxProperties bind(Map<String, Object> settings) {
    return new Binder(new MapConfigurationPropertySource(settings))
        .bindOrCreate("spotbatch.worker.onnx", OnnxProperties.class);
  }

  @Test
  void spinsAsTheMeasuredDefaultSaysWhenNothingIsSet() {
    assertThat(bind(Map.of()).spinning()).isEqualTo(OnnxOptions.DEFAULT_SPINNING);
  }

  @Test
  void readsOnAndOffInEitherCase() {
    assertThat(bind(Map.of("spotbatch.worker.onnx.spinning", "off")).spinning())
        .isEqualTo(OnnxSpinning.OFF);
    assertThat(bind(Map.of("spotbatch.worker.onnx.spinning", "ON")).spinning())
        .isEqualTo(OnnxSpinning.ON);
  }

  @Test
  void readsYamlsBooleanOffAsOff() {
    // YAML 1.1 reads a bare `off` as the boolean false
    assertThat(bind(Map.of("spotbatch.worker.onnx.spinning", Boolean.FALSE)).spinning())
        .isEqualTo(OnnxSpinning.OFF);
  }

  @Test
  void refusesAnyOtherValueNamingTheSetting() {
    assertThatThrownBy(() -> bind(Map.of("spotbatch.worker.onnx.spinning", "sometimes")))
        .hasMessageContaining("spotbatch.worker.onnx.spinning");
  }

  @Test
  void givesEveryModelTheWorkersThreadsAndThisSpinning() {
    WorkerProperties worker =
        new Binder(
                new MapConfigurationPropertySource(
                    Map.of(
                        "spotbatch.worker.allowed-roots", "file:///tmp/",
                        "spotbatch.worker.intra-op-threads", "3")))
            .bindOrCreate("spotbatch.worker", WorkerProperties.class);

    assertThat(new OnnxProperties(OnnxSpinning.OFF).options(worker))
        .isEqualTo(new OnnxOptions(3, OnnxSpinning.OFF));
  }
}
