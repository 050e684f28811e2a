package dev.spotbatch.worker.model;

import dev.spotbatch.task.ModelDescriptor;
import dev.spotbatch.task.ModelProblemException;
import dev.spotbatch.task.ModelRef;
import dev.spotbatch.task.TaskType;
import dev.spotbatch.worker.inference.EmbeddingModel;
import dev.spotbatch.worker.inference.InferenceDevice;
import dev.spotbatch.worker.inference.ModelException;
import dev.spotbatch.worker.inference.ModelShape;
import dev.spotbatch.worker.inference.OnnxEmbeddingModel;
import dev.spotbatch.worker.inference.OnnxOptions;
import dev.spotbatch.worker.inference.OutputMode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Loads brought models: fetches them through the {@link ModelCache} and loads them as their
 * descriptor says. A model that cannot be used is remembered by digest, so every later item of the
 * job fails at once with the same reason instead of fetching it again. Thread-safe.
 */
public final class BroughtModels implements Function<ModelRef, EmbeddingModel> {
  private final ModelCache cache;
  private final OnnxOptions onnx;
  private final InferenceDevice device;
  private final Map<String, String> refused = new ConcurrentHashMap<>();

  public BroughtModels(ModelCache cache, int intraOpThreads, InferenceDevice device) {
    this(cache, OnnxOptions.of(intraOpThreads), device);
  }

  /** Brought models run with the same ONNX options as the worker's other models. */
  public BroughtModels(ModelCache cache, OnnxOptions onnx, InferenceDevice device) {
    this.cache = cache;
    this.onnx = onnx;
    this.device = device;
  }

  /**
   * Fetches and loads a model; the caller closes it.
   *
   * @throws ModelProblemException if the model cannot be used here (remembered)
   */
  @Override
  public EmbeddingModel apply(ModelRef ref) {
    String known = refused.get(ref.digest());
    if (known != null) {
      throw new ModelProblemException(known);
    }
    try {
      CachedModel files = cache.fetch(ref);
      ModelDescriptor d = files.descriptor();
      OutputMode mode =
          d.taskType() == TaskType.CLASSIFY ? OutputMode.SOFTMAX : OutputMode.pooling(d.pooling());
      ModelShape shape = new ModelShape(0, d.maxLength(), mode, d.normalize(), d.output());
      EmbeddingModel loaded =
          new OnnxEmbeddingModel(
              d.name(), files.modelFile(), files.tokenizerFile(), shape, onnx, null, device);
      if (mode == OutputMode.SOFTMAX && loaded.dimensions() != d.labels().size()) {
        int outputs = loaded.dimensions();
        loaded.close();
        throw new ModelProblemException(
            "model "
                + d.name()
                + " gives "
                + outputs
                + " logits but its descriptor lists "
                + d.labels().size()
                + " labels");
      }
      return new BroughtModel(loaded, d, () -> cache.release(ref));
    } catch (ModelProblemException e) {
      cache.release(ref);
      refused.put(ref.digest(), e.getMessage());
      throw e;
    } catch (ModelException e) {
      cache.release(ref);
      String reason = "model at " + ref.uri() + " cannot run: " + e.getMessage();
      refused.put(ref.digest(), reason);
      throw new ModelProblemException(reason, e);
    }
  }
}
