package dev.spotbatch.worker.inference;

import ai.djl.Device;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The device the worker's models run on, chosen once at start, with the reason for the choice.
 *
 * @param requested what {@code spotbatch.worker.device} asked for
 * @param gpu whether the models run on a GPU
 * @param gpuId the CUDA device index when {@code gpu}
 * @param reason why this device, in words for the log
 */
public record InferenceDevice(DeviceMode requested, boolean gpu, int gpuId, String reason) {
  public InferenceDevice {
    Objects.requireNonNull(requested, "requested");
    Objects.requireNonNull(reason, "reason");
    if (gpuId < 0) {
      throw new IllegalArgumentException("gpuId must be >= 0, was " + gpuId);
    }
  }

  /** The CPU, for tests and tools that do not ask. */
  public static InferenceDevice cpu() {
    return new InferenceDevice(DeviceMode.CPU, false, 0, "CPU requested");
  }

  /**
   * Chooses the device for {@code mode}: {@code CPU} never probes; {@code AUTO} takes the GPU when
   * {@code cuda} finds nothing wrong, else the CPU with the probe's reason; {@code GPU} fails when
   * CUDA is unavailable.
   *
   * @throws ModelException when {@code GPU} is asked for and CUDA cannot be used
   */
  public static InferenceDevice select(DeviceMode mode, int gpuId, CudaProbe cuda) {
    if (mode == DeviceMode.CPU) {
      return new InferenceDevice(mode, false, 0, "spotbatch.worker.device=cpu");
    }
    Optional<String> unavailable = cuda.unavailable(gpuId);
    if (unavailable.isEmpty()) {
      return new InferenceDevice(
          mode, true, gpuId, "ONNX Runtime's CUDA provider loaded on GPU " + gpuId);
    }
    return switch (mode) {
      case AUTO -> new InferenceDevice(mode, false, 0, "no usable GPU: " + unavailable.get());
      case GPU ->
          throw new ModelException(
              "spotbatch.worker.device=gpu, but "
                  + unavailable.get()
                  + "; use spotbatch.worker.device=auto to fall back to the CPU");
      case CPU -> throw new IllegalStateException("handled above");
    };
  }

  /** The DJL device: always explicit, so a CPU choice stays on the CPU even where a GPU exists. */
  public Device djl() {
    return gpu ? Device.gpu(gpuId) : Device.cpu();
  }

  /** {@code "gpu:0"} or {@code "cpu"}. */
  public String label() {
    return gpu ? "gpu:" + gpuId : "cpu";
  }

  @Override
  public String toString() {
    return label() + " (" + requested.name().toLowerCase(Locale.ROOT) + ": " + reason + ")";
  }
}
