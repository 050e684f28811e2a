package dev.spotbatch.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotbatch.worker.inference.ModelRegistry;
import dev.spotbatch.worker.inference.UnknownModelException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

class ModelWarmStartTest {

  static WorkerProperties props(Map<String, String> settings) {
    return new Binder(new MapConfigurationPropertySource(settings))
        .bindOrCreate("spotbatch.worker", WorkerProperties.class);
  }

  @Test
  void loadsAndRunsThePreloadedModelThenHandsOverDeviceAndRegistry() {
    ModelWarmStart warm =
        ModelWarmStart.begin(
            props(
                Map.of(
                    "spotbatch.worker.model-cache-dir",
                    "target/model-cache",
                    "spotbatch.worker.allowed-roots",
                    "file:///tmp/")),
            new DeviceProperties(null, 0),
            OnnxProperties.defaults());

    warm.awaitPreload();

    ModelRegistry registry = warm.registry();
    assertThat(registry.names()).contains("all-minilm-l6-v2", "all-minilm-l6-v2-q");
    assertThat(registry.get("all-minilm-l6-v2").embed(java.util.List.of("hello"))[0]).hasSize(384);
    assertThat(warm.device().gpu()).isFalse();
  }

  @Test
  void aPreloadThatFailsIsLeftToTheWorkersOwnStart(@org.junit.jupiter.api.io.TempDir Path dir) {
    ModelWarmStart warm =
        ModelWarmStart.begin(
            props(
                Map.of(
                    "spotbatch.worker.model-cache-dir",
                    dir.toString(),
                    "spotbatch.worker.preload-models",
                    "no-such-model",
                    "spotbatch.worker.allowed-roots",
                    "file:///tmp/")),
            new DeviceProperties(null, 0),
            OnnxProperties.defaults());

    warm.awaitPreload(); // does not throw: WorkerRuntime.preload tries again and reports it

    assertThatThrownBy(() -> warm.registry().get("no-such-model"))
        .isInstanceOf(UnknownModelException.class);
  }

  /** Not the worker: a plain application on the same class path. */
  @Configuration(proxyBeanMethods = false)
  static class OtherApplication {}

  @Test
  void onlyTheWorkerApplicationGetsAWarmStart() {
    SpringApplication other = new SpringApplication(OtherApplication.class);
    other.setWebApplicationType(WebApplicationType.NONE);
    try (ConfigurableApplicationContext ctx =
        other.run("--spring.main.lazy-initialization=false", "--logging.level.root=WARN")) {
      assertThat(ctx.containsBean(WarmStartListener.BEAN)).isFalse();
    }
  }
}
