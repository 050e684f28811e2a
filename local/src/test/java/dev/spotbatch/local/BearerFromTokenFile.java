package dev.spotbatch.local;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import dev.spotbatch.dispatcher.config.SpotbatchProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.MockMvcBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Every MockMvc request sends the token the way a user's client does: read from {@code
 * <data-dir>/api-token}, which the dispatcher writes with {@code spotbatch.security.local-token}.
 */
@TestConfiguration(proxyBeanMethods = false)
public class BearerFromTokenFile {
  @Bean
  MockMvcBuilderCustomizer bearerFromTokenFile(
      SpotbatchProperties props, SecurityFilterChain writtenFirst) {
    String token = read(props.dataPath().resolve("api-token"));
    return b -> b.defaultRequest(get("/").header("Authorization", "Bearer " + token));
  }

  /** The first line of a token file, as {@code ./spotbatch} reads it. */
  public static String read(Path file) {
    try {
      return Files.readString(file).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
