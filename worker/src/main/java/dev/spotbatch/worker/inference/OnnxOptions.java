package dev.spotbatch.worker.inference;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.Objects;

/**
 * How ONNX Runtime runs a model's batches, the same for every ONNX model of a worker (built-in,
 * configured and brought ones).
 *
 * @param intraOpThreads threads per operator ({@code spotbatch.worker.intra-op-threads}); the
 *     calling thread is one of them
 * @param spinning whether the pool threads spin while waiting ({@code
 *     spotbatch.worker.onnx.spinning})
 */
public record OnnxOptions(int intraOpThreads, OnnxSpinning spinning) {
  /**
   * What a worker does unless told otherwise; the measurements behind the choice are in {@code
   * docs/BENCHMARKS.md} (issue 13, point 1).
   */
  public static final OnnxSpinning DEFAULT_SPINNING = OnnxSpinning.OFF;

  public OnnxOptions {
    if (intraOpThreads < 1) {
      throw new IllegalArgumentException("intra-op threads must be >= 1, was " + intraOpThreads);
    }
    Objects.requireNonNull(spinning, "spinning");
  }

  /** {@code intraOpThreads} threads, spinning as by default. */
  public static OnnxOptions of(int intraOpThreads) {
    return new OnnxOptions(intraOpThreads, DEFAULT_SPINNING);
  }

  /**
   * A new ONNX Runtime session configuration with these options; the caller closes it after the
   * session it configures. Inter-op threads stay at one: a worker parallelises across batches with
   * its own inference threads, not across a graph's branches.
   */
  OrtSession.SessionOptions sessionOptions() throws OrtException {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    try {
      options.setIntraOpNumThreads(intraOpThreads);
      options.setInterOpNumThreads(1);
      options.addConfigEntry("session.intra_op.allow_spinning", spinning.allowSpinning());
      options.addConfigEntry("session.inter_op.allow_spinning", spinning.allowSpinning());
      return options;
    } catch (OrtException | RuntimeException e) {
      options.close();
      throw e;
    }
  }
}
