package dev.spotbatch.worker.config;

import dev.spotbatch.worker.inference.CudaProbe;
import dev.spotbatch.worker.inference.Djl;
import dev.spotbatch.worker.inference.InferenceDevice;
import dev.spotbatch.worker.inference.ModelRegistry;
import dev.spotbatch.worker.inference.OnnxEmbeddingModel;
import dev.spotbatch.worker.inference.OnnxOptions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model side of a worker's start, run on a thread of its own from the moment the settings are
 * known: choose the inference device (which initialises DJL and ONNX Runtime), build the model
 * registry, then load the preloaded models and run each once. The Spring context is built on the
 * main thread meanwhile (configuration classes, web server, queue and store clients), so on two
 * cores the two overlap instead of adding up (measurements: docs/BENCHMARKS.md, worker start-up).
 *
 * <p>Nothing here changes what the worker does: the {@code inferenceDevice} and {@code
 * modelRegistry} beans take the device and registry from here, and the lifecycle still runs {@link
 * dev.spotbatch.worker.WorkerRuntime#preload} before the first lease, which finds the models loaded
 * (a failed load here is simply tried again there, and fails the start as before).
 */
final class ModelWarmStart {
  private static final Logger log = LoggerFactory.getLogger(ModelWarmStart.class);

  private final CompletableFuture<InferenceDevice> device;
  private final CompletableFuture<ModelRegistry> registry;
  private final CompletableFuture<Void> preloaded;

  private ModelWarmStart(
      CompletableFuture<InferenceDevice> device,
      CompletableFuture<ModelRegistry> registry,
      CompletableFuture<Void> preloaded) {
    this.device = device;
    this.registry = registry;
    this.preloaded = preloaded;
  }

  /**
   * Starts the device choice, the registry and the preload on thread {@code spotbatch-warm-start}.
   */
  static ModelWarmStart begin(
      WorkerProperties props, DeviceProperties deviceProps, OnnxProperties onnx) {
    CompletableFuture<InferenceDevice> device = new CompletableFuture<>();
    CompletableFuture<ModelRegistry> registry = new CompletableFuture<>();
    CompletableFuture<Void> preloaded = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                InferenceDevice chosen = chooseDevice(deviceProps);
                device.complete(chosen);
                ModelRegistry models = registry(props, onnx, chosen);
                registry.complete(models);
                for (String name : props.preloadModels()) {
                  long t0 = System.nanoTime();
                  models.get(name).embed(List.of("spotbatch warm-up"));
                  log.info(
                      "model {} loaded and run once in {} ms, beside the context",
                      name,
                      (System.nanoTime() - t0) / 1_000_000);
                }
                preloaded.complete(null);
              } catch (Throwable e) { // a LinkageError too: the beans try again and report it
                device.completeExceptionally(e);
                registry.completeExceptionally(e);
                preloaded.completeExceptionally(e);
              }
            },
            "spotbatch-warm-start");
    // never holds the JVM: a context that fails to start must still exit
    thread.setDaemon(true);
    thread.start();
    return new ModelWarmStart(device, registry, preloaded);
  }

  /** The device as {@code spotbatch.worker.device} asks; says in the log what it chose. */
  static InferenceDevice chooseDevice(DeviceProperties device) {
    Djl.offline();
    InferenceDevice chosen =
        InferenceDevice.select(device.device(), device.gpuId(), CudaProbe.onnxRuntime());
    log.info("inference device: {}", chosen);
    return chosen;
  }

  /** The built-in models and those of {@code spotbatch.worker.models}, none loaded yet. */
  static ModelRegistry registry(
      WorkerProperties props, OnnxProperties onnxProps, InferenceDevice device) {
    Djl.offline();
    OnnxOptions onnx = onnxProps.options(props);
    log.info(
        "ONNX Runtime: {} intra-op threads, spinning {}",
        onnx.intraOpThreads(),
        onnx.spinning().name().toLowerCase(java.util.Locale.ROOT));
    ModelRegistry registry = ModelRegistry.withBuiltIns(props.modelCacheDir(), onnx, device);
    props
        .models()
        .forEach(
            (name, spec) ->
                registry.register(
                    name,
                    () ->
                        new OnnxEmbeddingModel(
                            name,
                            spec.onnxPath(),
                            spec.tokenizerPath(),
                            spec.dimensions(),
                            spec.maxLength(),
                            onnx,
                            spec.tokenTypes(),
                            device)));
    return registry;
  }

  /** The chosen device, waiting for the choice. */
  InferenceDevice device() {
    return join(device);
  }

  /** The registry, waiting for the device choice (not for the models' load). */
  ModelRegistry registry() {
    return join(registry);
  }

  /**
   * Waits until the preloaded models are loaded and run once; a failure is left to the caller's own
   * preload, which tries again and reports it.
   */
  void awaitPreload() {
    try {
      preloaded.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      log.debug("preload beside the context failed; the start tries again", e.getCause());
    }
  }

  private static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }
}
