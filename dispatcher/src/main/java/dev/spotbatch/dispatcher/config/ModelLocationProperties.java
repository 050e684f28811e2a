package dev.spotbatch.dispatcher.config;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Where jobs may bring their own models from ({@code spotbatch.model-locations.*}).
 *
 * @param roots the model roots; default: the storage roots (inputs and outputs)
 * @param maxSize a model's files together may not be larger (keep it within the workers' {@code
 *     spotbatch.worker.model-cache.max-model-size})
 */
@ConfigurationProperties("spotbatch.model-locations")
public record ModelLocationProperties(List<String> roots, @DefaultValue("2GB") DataSize maxSize) {
  public ModelLocationProperties {
    roots = roots == null ? List.of() : List.copyOf(roots);
    maxSize = maxSize == null ? DataSize.ofGigabytes(2) : maxSize;
  }
}
