package dev.spotbatch.worker.inference;

import ai.djl.engine.Engine;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.util.Optional;

/** Tells whether ONNX Runtime's CUDA execution provider can run on a GPU, and if not, why. */
@FunctionalInterface
public interface CudaProbe {

  /**
   * Why CUDA cannot be used on GPU {@code deviceId}; empty when it can.
   *
   * @param deviceId the CUDA device index
   */
  Optional<String> unavailable(int deviceId);

  /**
   * The real probe: the ONNX Runtime build on the class path must offer the CUDA provider (only
   * {@code onnxruntime_gpu} does: Maven profile {@code gpu}), and adding it to a session must
   * succeed, which loads the provider library and with it CUDA, cuDNN and the driver.
   */
  static CudaProbe onnxRuntime() {
    return deviceId -> {
      try {
        // DJL's engine creates ONNX Runtime's one environment with its own thread settings:
        // let it go first, or it fails later finding an environment already made
        Engine.getEngine("OnnxRuntime");
        if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
          return Optional.of(
              "this ONNX Runtime build has no CUDA provider (the CPU build; build the worker with"
                  + " -Pgpu for onnxruntime_gpu)");
        }
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
          options.addCUDA(deviceId);
        }
        return Optional.empty();
      } catch (Exception | LinkageError e) {
        return Optional.of("the CUDA provider did not load on GPU " + deviceId + ": " + e);
      }
    };
  }
}
