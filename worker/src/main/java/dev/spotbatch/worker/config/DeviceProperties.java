package dev.spotbatch.worker.config;

import dev.spotbatch.worker.inference.DeviceMode;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the worker runs its models: {@code spotbatch.worker.device=auto|cpu|gpu} (default {@code
 * auto}: a GPU when ONNX Runtime's CUDA provider loads, else the CPU) and {@code
 * spotbatch.worker.gpu-id} (the CUDA device, default 0). Kept apart from {@link WorkerProperties}
 * so the device choice can be read before any model loads.
 */
@ConfigurationProperties("spotbatch.worker")
public record DeviceProperties(
    @DefaultValue("auto") DeviceMode device, @DefaultValue("0") int gpuId) {
  public DeviceProperties {
    device = device == null ? DeviceMode.AUTO : device;
    if (gpuId < 0) {
      throw new IllegalArgumentException("spotbatch.worker.gpu-id must be >= 0, was " + gpuId);
    }
  }
}
