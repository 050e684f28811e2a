package dev.spotbatch.worker.plugin;

import dev.spotbatch.spi.Translator;
import dev.spotbatch.task.ModelProblemException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The translators of the plugin directory, by name: every {@code *.jar} there is opened in its own
 * {@link PluginClassLoader} (the plugin's classes first, only the SPI and the JDK from the worker)
 * and its {@code META-INF/services/dev.spotbatch.spi.Translator} entries are instantiated once.
 * Thread-safe once built.
 */
public final class Plugins implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Plugins.class);

  private final Map<String, Translator> byName;
  private final List<PluginClassLoader> loaders;
  private final Path dir;

  private Plugins(Path dir, Map<String, Translator> byName, List<PluginClassLoader> loaders) {
    this.dir = dir;
    this.byName = byName;
    this.loaders = loaders;
  }

  /** No plugins. */
  public static Plugins none() {
    return new Plugins(null, Map.of(), List.of());
  }

  /**
   * Loads every plugin jar in {@code dir} (none if it does not exist).
   *
   * @throws IllegalStateException if two plugins have the same name
   */
  public static Plugins load(Path dir) {
    if (dir == null || !Files.isDirectory(dir)) {
      return none();
    }
    Map<String, Translator> byName = new TreeMap<>();
    List<PluginClassLoader> loaders = new ArrayList<>();
    try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, "*.jar")) {
      for (Path jar : jars) {
        PluginClassLoader loader = new PluginClassLoader(new URL[] {url(jar)});
        loaders.add(loader);
        for (Translator t : ServiceLoader.load(Translator.class, loader)) {
          if (t.getClass().getClassLoader() != loader) {
            continue; // seen through the worker's own class path, not this jar
          }
          Translator before = byName.putIfAbsent(t.name(), t);
          if (before != null) {
            throw new IllegalStateException(
                "two plugins are named '" + t.name() + "' in " + dir + "; rename one");
          }
          log.info("plugin '{}' ({}) from {}", t.name(), t.getClass().getName(), jar);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list plugin directory " + dir, e);
    }
    return new Plugins(dir, byName, loaders);
  }

  /**
   * The translator of that name.
   *
   * @throws ModelProblemException naming the plugins there are
   */
  public Translator get(String name) {
    Translator t = byName.get(name);
    if (t == null) {
      throw new ModelProblemException(
          "no plugin named '"
              + name
              + "' on this worker"
              + (dir == null ? " (no plugin directory: spotbatch.worker.plugin-dir)" : " in " + dir)
              + "; it has: "
              + (byName.isEmpty() ? "none" : String.join(", ", byName.keySet())));
    }
    return t;
  }

  /** The plugins' names. */
  public List<String> names() {
    return List.copyOf(byName.keySet());
  }

  @Override
  public void close() {
    for (Translator t : byName.values()) {
      try {
        t.close();
      } catch (RuntimeException e) {
        log.warn("plugin {} failed to close: {}", t.name(), e.toString());
      }
    }
    for (PluginClassLoader l : loaders) {
      try {
        l.close();
      } catch (IOException e) {
        log.debug("cannot close a plugin class loader: {}", e.toString());
      }
    }
  }

  private static URL url(Path jar) {
    try {
      return jar.toUri().toURL();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("bad plugin path " + jar, e);
    }
  }
}
