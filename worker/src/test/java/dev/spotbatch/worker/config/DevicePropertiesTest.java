package dev.spotbatch.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.spotbatch.worker.inference.CudaProbe;
import dev.spotbatch.worker.inference.DeviceMode;
import dev.spotbatch.worker.inference.InferenceDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class DevicePropertiesTest {

  @Test
  void autoIsTheDefault() {
    assertThat(new DeviceProperties(null, 0).device()).isEqualTo(DeviceMode.AUTO);
  }

  @Test
  void aNegativeGpuIdIsRefusedWithThePropertyName() {
    assertThatThrownBy(() -> new DeviceProperties(DeviceMode.GPU, -1))
        .hasMessageContaining("spotbatch.worker.gpu-id");
  }

  @Test
  void autoWithoutAGpuLogsThatItChoseTheCpuAndWhy(CapturedOutput output) {
    assumeTrue(CudaProbe.onnxRuntime().unavailable(0).isPresent(), "this machine has a GPU");

    InferenceDevice chosen = ModelWarmStart.chooseDevice(new DeviceProperties(DeviceMode.AUTO, 0));

    assertThat(chosen.gpu()).isFalse();
    assertThat(output).contains("inference device: cpu (auto: no usable GPU: ");
  }
}
