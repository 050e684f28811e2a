package dev.spotbatch.worker.plugin;

import java.net.URL;
import java.net.URLClassLoader;

/**
 * A plugin jar's class loader: the plugin's own classes first, so its libraries never clash with
 * the worker's; only the SPI ({@code dev.spotbatch.spi}) and the JDK come from the worker.
 */
final class PluginClassLoader extends URLClassLoader {
  private static final String SPI = "dev.spotbatch.spi.";

  PluginClassLoader(URL[] jars) {
    super(jars, ClassLoader.getPlatformClassLoader());
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (name.startsWith(SPI)) {
      return Plugins.class.getClassLoader().loadClass(name);
    }
    return super.loadClass(name, resolve);
  }
}
