package dev.spotbatch.worker.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InferenceDeviceTest {
  private final List<Integer> probed = new ArrayList<>();

  private CudaProbe cudaLoads() {
    return id -> {
      probed.add(id);
      return Optional.empty();
    };
  }

  private CudaProbe cudaMissing(String why) {
    return id -> {
      probed.add(id);
      return Optional.of(why);
    };
  }

  @Test
  void autoTakesTheGpuWhenTheCudaProviderLoads() {
    InferenceDevice d = InferenceDevice.select(DeviceMode.AUTO, 1, cudaLoads());

    assertThat(d.gpu()).isTrue();
    assertThat(d.djl()).isEqualTo(Device.gpu(1));
    assertThat(d.toString())
        .isEqualTo("gpu:1 (auto: ONNX Runtime's CUDA provider loaded on GPU 1)");
  }

  @Test
  void autoFallsBackToTheCpuAndSaysWhy() {
    InferenceDevice d =
        InferenceDevice.select(DeviceMode.AUTO, 0, cudaMissing("libcudart.so.12: not found"));

    assertThat(d.gpu()).isFalse();
    assertThat(d.djl()).isEqualTo(Device.cpu());
    assertThat(d.toString()).isEqualTo("cpu (auto: no usable GPU: libcudart.so.12: not found)");
  }

  @Test
  void cpuNeverProbesAndStaysOnTheCpuEvenWhereAGpuExists() {
    InferenceDevice d = InferenceDevice.select(DeviceMode.CPU, 0, cudaLoads());

    assertThat(d.gpu()).isFalse();
    assertThat(d.djl()).isEqualTo(Device.cpu());
    assertThat(probed).isEmpty();
  }

  @Test
  void gpuRefusesToStartWithoutCuda() {
    assertThatThrownBy(
            () -> InferenceDevice.select(DeviceMode.GPU, 0, cudaMissing("no CUDA provider")))
        .isInstanceOf(ModelException.class)
        .hasMessageContaining("spotbatch.worker.device=gpu")
        .hasMessageContaining("no CUDA provider")
        .hasMessageContaining("device=auto");
  }

  @Test
  void gpuTakesTheGpuWhenCudaLoads() {
    InferenceDevice d = InferenceDevice.select(DeviceMode.GPU, 0, cudaLoads());

    assertThat(d.label()).isEqualTo("gpu:0");
    assertThat(probed).containsExactly(0);
  }

  /** The real probe on this machine: the CPU build of ONNX Runtime (or no GPU) means the CPU. */
  @Test
  void theRealProbeOnAMachineWithoutCudaMakesAutoChooseTheCpu() {
    CudaProbe real = CudaProbe.onnxRuntime();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        real.unavailable(0).isPresent(), "this machine has a usable GPU: see GpuInferenceTest");

    InferenceDevice d = InferenceDevice.select(DeviceMode.AUTO, 0, real);

    assertThat(d.gpu()).isFalse();
    assertThat(d.reason()).startsWith("no usable GPU: ").containsIgnoringCase("CUDA");
  }
}
