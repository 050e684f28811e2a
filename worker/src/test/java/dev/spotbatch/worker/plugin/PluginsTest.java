package dev.spotbatch.worker.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotbatch.codec.Json;
import dev.spotbatch.spi.Translator;
import dev.spotbatch.worker.testing.SamplePlugin;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sample plugin (module spi-sample) found in a plugin directory and run. */
class PluginsTest {
  @TempDir Path tmp;

  @Test
  void findsTheSamplePluginInItsDirectoryAndLoadsItApart() throws Exception {
    SamplePlugin.install(tmp.resolve("plugins"));

    try (Plugins plugins = Plugins.load(tmp.resolve("plugins"))) {
      Translator t = plugins.get("word-stats");

      assertThat(plugins.names()).containsExactly("word-stats");
      // from the jar, in its own loader: not the class the test's class path also has
      assertThat(t.getClass().getClassLoader()).isInstanceOf(PluginClassLoader.class);
      List<?> out = t.translate(SamplePlugin.TEXTS);
      assertThat(Json.mapper().writeValueAsString(out.get(1)))
          .isEqualTo("{\"words\":4,\"chars\":22,\"longest\":\"sentence\"}");
    }
  }

  @Test
  void anUnknownPluginIsAProblemNamingThoseThereAre() {
    SamplePlugin.install(tmp.resolve("plugins"));

    try (Plugins plugins = Plugins.load(tmp.resolve("plugins"))) {
      assertThatThrownBy(() -> plugins.get("sentiment"))
          .hasMessageContaining("no plugin named 'sentiment'")
          .hasMessageContaining("word-stats");
    }
    assertThat(Plugins.load(tmp.resolve("missing")).names()).isEmpty();
  }
}
