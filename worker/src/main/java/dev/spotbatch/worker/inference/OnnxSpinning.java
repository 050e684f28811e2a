package dev.spotbatch.worker.inference;

/**
 * Whether ONNX Runtime's pool threads spin while they wait for their next share of an operator
 * ({@code spotbatch.worker.onnx.spinning}), ONNX Runtime's session settings {@code
 * session.intra_op.allow_spinning} and {@code session.inter_op.allow_spinning}.
 *
 * <ul>
 *   <li>{@link #ON}: they spin, ONNX Runtime's own default: the lowest latency per operator when
 *       the model has the cores to itself, but a waiting thread burns a core that the worker's
 *       other threads (reading, writing, queue calls) or a descheduled sibling need;
 *   <li>{@link #OFF}: they sleep until woken: each operator pays a wake-up, and no core is burnt on
 *       waiting.
 * </ul>
 *
 * <p>The arithmetic is the same either way: the embeddings do not change.
 */
public enum OnnxSpinning {
  ON,
  OFF;

  /** The value of ONNX Runtime's {@code allow_spinning} session settings. */
  String allowSpinning() {
    return this == ON ? "1" : "0";
  }
}
