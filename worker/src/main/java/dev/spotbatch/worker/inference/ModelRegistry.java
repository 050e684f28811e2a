package dev.spotbatch.worker.inference;

import dev.spotbatch.task.ModelProblemException;
import dev.spotbatch.task.ModelRef;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Models by name, loaded lazily once and shared (models are thread-safe). Built in: {@code
 * all-minilm-l6-v2} and its int8 variant {@code all-minilm-l6-v2-q}. More can be registered (e.g.
 * an {@link OnnxEmbeddingModel} from a file and a tokenizer) without touching the lease loop.
 */
public final class ModelRegistry implements AutoCloseable {
  private final Map<String, Supplier<EmbeddingModel>> loaders = new ConcurrentHashMap<>();
  private final Map<String, EmbeddingModel> loaded = new ConcurrentHashMap<>();
  private volatile Function<ModelRef, EmbeddingModel> brought =
      ref -> {
        throw new ModelProblemException(
            "this worker takes no models by URI (no model cache configured): " + ref.uri());
      };

  /** A registry with the built-in models, extracted to {@code cacheDir}, on the CPU. */
  public static ModelRegistry withBuiltIns(java.nio.file.Path cacheDir, int intraOpThreads) {
    return withBuiltIns(cacheDir, intraOpThreads, InferenceDevice.cpu());
  }

  /** A registry with the built-in models, extracted to {@code cacheDir}, on {@code device}. */
  public static ModelRegistry withBuiltIns(
      java.nio.file.Path cacheDir, int intraOpThreads, InferenceDevice device) {
    return withBuiltIns(cacheDir, OnnxOptions.of(intraOpThreads), device);
  }

  /** A registry with the built-in models run with these ONNX options on {@code device}. */
  public static ModelRegistry withBuiltIns(
      java.nio.file.Path cacheDir, OnnxOptions onnx, InferenceDevice device) {
    ModelRegistry registry = new ModelRegistry();
    registry.register(MiniLmOnnxModel.NAME, () -> MiniLmOnnxModel.load(cacheDir, onnx, device));
    registry.register(
        MiniLmQuantizedOnnxModel.NAME, () -> MiniLmQuantizedOnnxModel.load(cacheDir, onnx, device));
    return registry;
  }

  /** Registers a model by name; it is loaded on first use. */
  public ModelRegistry register(String name, Supplier<EmbeddingModel> loader) {
    loaders.put(name, loader);
    return this;
  }

  /** Loads models brought by URI with {@code loader} (see {@code BroughtModels}). */
  public ModelRegistry bringWith(Function<ModelRef, EmbeddingModel> loader) {
    this.brought = loader;
    return this;
  }

  /**
   * A model by reference: a built-in one (shared, kept), or a brought one, loaded anew (the caller
   * keeps and closes it).
   *
   * @throws UnknownModelException for an unknown built-in name
   * @throws ModelProblemException for a brought model that cannot be used
   */
  public EmbeddingModel open(ModelRef ref) {
    return ref.brought() ? brought.apply(ref) : get(ref.name());
  }

  /** The model of that name, loading it on first use. */
  public EmbeddingModel get(String name) {
    Supplier<EmbeddingModel> loader = loaders.get(name);
    if (loader == null) {
      throw new UnknownModelException(
          "unknown model '" + name + "'; this worker has: " + String.join(", ", names()));
    }
    return loaded.computeIfAbsent(name, n -> loader.get());
  }

  public Set<String> names() {
    return new TreeSet<>(loaders.keySet());
  }

  @Override
  public void close() {
    loaded.values().forEach(EmbeddingModel::close);
    loaded.clear();
  }
}
