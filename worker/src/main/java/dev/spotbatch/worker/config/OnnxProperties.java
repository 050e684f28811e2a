package dev.spotbatch.worker.config;

import dev.spotbatch.worker.inference.OnnxOptions;
import dev.spotbatch.worker.inference.OnnxSpinning;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How ONNX Runtime runs every ONNX model of the worker ({@code spotbatch.worker.onnx.*}): {@code
 * spinning=on|off}, whether its pool threads spin while they wait (default: {@link
 * OnnxOptions#DEFAULT_SPINNING}; measurements in {@code docs/BENCHMARKS.md}). Kept apart from
 * {@link WorkerProperties}, as {@link DeviceProperties} is, so the warm start can read it before
 * the context exists.
 *
 * @param spinning {@code on} or {@code off}
 */
@ConfigurationProperties("spotbatch.worker.onnx")
public record OnnxProperties(OnnxSpinning spinning) {
  public OnnxProperties {
    spinning = spinning == null ? OnnxOptions.DEFAULT_SPINNING : spinning;
  }

  /** The defaults, for tools and tests that set nothing. */
  public static OnnxProperties defaults() {
    return new OnnxProperties(null);
  }

  /** The options every ONNX model of this worker is loaded with. */
  public OnnxOptions options(WorkerProperties worker) {
    return new OnnxOptions(worker.intraOpThreads(), spinning);
  }
}
