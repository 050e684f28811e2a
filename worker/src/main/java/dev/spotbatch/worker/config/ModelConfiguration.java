package dev.spotbatch.worker.config;

import dev.spotbatch.store.ObjectStore;
import dev.spotbatch.worker.WorkerMetrics;
import dev.spotbatch.worker.inference.BatchOrder;
import dev.spotbatch.worker.inference.Batchers;
import dev.spotbatch.worker.inference.InferenceDevice;
import dev.spotbatch.worker.inference.ModelRegistry;
import dev.spotbatch.worker.inference.RecordRate;
import dev.spotbatch.worker.model.BroughtModels;
import dev.spotbatch.worker.model.ModelCache;
import dev.spotbatch.worker.model.ModelCacheSettings;
import dev.spotbatch.worker.plugin.Plugins;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Spring wiring of the model side: the inference device, the model registry (built-in, configured
 * and brought-by-URI models), the batchers and the plugins. Device and registry come from the
 * {@link ModelWarmStart} when the application began one, else are made here in line.
 */
@Configuration(proxyBeanMethods = false)
class ModelConfiguration {
  private static final Logger log = LoggerFactory.getLogger(ModelConfiguration.class);

  /** The device the models run on, chosen once; {@code auto} says in the log what it chose. */
  @Bean
  InferenceDevice inferenceDevice(
      DeviceProperties device,
      @Qualifier(WarmStartListener.BEAN) ObjectProvider<ModelWarmStart> warm) {
    ModelWarmStart started = warm.getIfAvailable();
    return started != null ? started.device() : ModelWarmStart.chooseDevice(device);
  }

  @Bean(destroyMethod = "")
  ModelRegistry modelRegistry(
      WorkerProperties props,
      OnnxProperties onnx,
      ModelCacheProperties cacheProps,
      InferenceDevice device,
      ObjectStore store,
      Clock clock,
      @Qualifier(WarmStartListener.BEAN) ObjectProvider<ModelWarmStart> warm) {
    ModelWarmStart started = warm.getIfAvailable();
    ModelRegistry registry =
        started != null ? started.registry() : ModelWarmStart.registry(props, onnx, device);
    ModelCacheSettings cache = cacheProps.settings(props);
    registry.bringWith(
        new BroughtModels(new ModelCache(store, cache, clock), onnx.options(props), device));
    log.info("models by URI from {} into {}", cache.roots().describe(), cache.dir());
    log.info("models: {}", registry.names());
    if (started != null && "onRefresh".equals(System.getProperty("spring.context.exit"))) {
      // the class-data archive's training run (WorkerClassData) builds the context and exits:
      // wait for the models, so that their classes are in the archive too
      started.awaitPreload();
    }
    return registry;
  }

  @Bean(destroyMethod = "")
  Batchers batchers(
      ModelRegistry models,
      WorkerProperties props,
      ModelCacheProperties cacheProps,
      WorkerMetrics metrics,
      @Value("${spotbatch.worker.batch-order:arrival}") BatchOrder order) {
    RecordRate cap =
        props.maxRecordsPerSecond() > 0
            ? new RecordRate(props.maxRecordsPerSecond(), System::nanoTime)
            : null;
    if (cap != null) {
      log.info("throughput capped at {} records/s", props.maxRecordsPerSecond());
    }
    return new Batchers(
        models,
        props.inferenceThreads(),
        props.batchSize(),
        props.maxBatchDelay(),
        metrics,
        cap,
        cacheProps.maxLoaded(),
        order);
  }

  @Bean(destroyMethod = "close")
  Plugins plugins(PluginProperties props) {
    Plugins plugins = Plugins.load(props.dir());
    if (props.dir() != null) {
      log.info("plugins in {}: {}", props.dir(), plugins.names());
    }
    return plugins;
  }
}
