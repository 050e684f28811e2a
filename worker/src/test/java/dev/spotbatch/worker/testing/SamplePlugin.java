package dev.spotbatch.worker.testing;

import dev.spotbatch.sample.WordStats;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The sample plugin module's build output ({@code spi-sample}: its jar, or its classes when the
 * reactor hands over the directory) put into a plugin directory as a jar, as a user deploys it.
 */
public final class SamplePlugin {
  private SamplePlugin() {}

  /** Writes {@code word-stats.jar} into {@code pluginDir}. */
  public static Path install(Path pluginDir) {
    try {
      Path built =
          Path.of(WordStats.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Files.createDirectories(pluginDir);
      Path jar = pluginDir.resolve("word-stats.jar");
      if (Files.isRegularFile(built)) {
        return Files.copy(built, jar);
      }
      try (OutputStream out = Files.newOutputStream(jar);
          JarOutputStream zip = new JarOutputStream(out);
          Stream<Path> files = Files.walk(built)) {
        for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
          zip.putNextEntry(new JarEntry(built.relativize(f).toString().replace('\\', '/')));
          Files.copy(f, zip);
          zip.closeEntry();
        }
      }
      return jar;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The texts the sample's tests use. */
  public static final List<String> TEXTS = List.of("one two three", "a longer sentence here");
}
