package dev.spotbatch.worker.config;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Translator plugins ({@code spotbatch.worker.plugins.*}).
 *
 * @param dir the directory whose {@code *.jar} files are loaded as plugins; none when unset or
 *     missing
 */
@ConfigurationProperties("spotbatch.worker.plugins")
public record PluginProperties(Path dir) {}
