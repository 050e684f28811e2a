package dev.spotbatch.worker.inference;

/**
 * Where the worker runs its models ({@code spotbatch.worker.device}).
 *
 * <ul>
 *   <li>{@link #AUTO}: a GPU when ONNX Runtime's CUDA execution provider loads, else the CPU;
 *   <li>{@link #CPU}: the CPU, even on a machine with a GPU;
 *   <li>{@link #GPU}: a GPU, or the worker does not start (better than a GPU fleet silently running
 *       at CPU speed).
 * </ul>
 */
public enum DeviceMode {
  AUTO,
  CPU,
  GPU
}
