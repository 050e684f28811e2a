package dev.spotbatch.worker.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Runs only where ONNX Runtime's CUDA provider loads: a GPU machine and the worker built with
 * {@code -Pgpu} ({@code ./mvnw -Pgpu test -pl worker -am -Dtest=GpuInferenceTest
 * -Dsurefire.failIfNoSpecifiedTests=false}). Everywhere else it is skipped, saying why.
 */
class GpuInferenceTest {
  private static final List<String> SENTENCES =
      List.of(
          "A man is eating food.",
          "A man is eating a piece of bread.",
          "The girl is carrying a baby.");

  @Test
  void theModelOnTheGpuEmbedsLikeTheModelOnTheCpu() {
    Optional<String> unavailable = CudaProbe.onnxRuntime().unavailable(0);
    assumeTrue(unavailable.isEmpty(), () -> "no usable GPU here: " + unavailable.orElse(""));

    InferenceDevice gpu = InferenceDevice.select(DeviceMode.GPU, 0, CudaProbe.onnxRuntime());
    Path cache = Path.of("target", "model-cache");
    float[][] onGpu;
    float[][] onCpu;
    try (EmbeddingModel model = MiniLmOnnxModel.load(cache, 2, gpu)) {
      onGpu = model.embed(SENTENCES);
    }
    try (EmbeddingModel model = MiniLmOnnxModel.load(cache, 2, InferenceDevice.cpu())) {
      onCpu = model.embed(SENTENCES);
    }

    assertThat(gpu.gpu()).isTrue();
    for (int i = 0; i < SENTENCES.size(); i++) {
      for (int j = 0; j < onCpu[i].length; j++) {
        assertThat(onGpu[i][j]).isCloseTo(onCpu[i][j], within(1e-3f));
      }
    }
  }
}
