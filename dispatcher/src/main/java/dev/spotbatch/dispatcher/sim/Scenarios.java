package dev.spotbatch.dispatcher.sim;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Scenario files: the built-in ones on the classpath ({@code scenarios/<name>.json}) and any file a
 * user copied and edited. Unknown fields are refused, so a misspelt field is not silently ignored.
 */
public final class Scenarios {
  /** The built-in scenarios, by name. */
  public static final List<String> BUILT_IN =
      List.of("seed-h100", "a100-regions", "v100-deep-discount", "gcp-a100-30s");

  private static final JsonMapper JSON =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private Scenarios() {}

  /** A built-in scenario by name, or a scenario file by path. */
  public static Scenario load(String nameOrPath) {
    if (BUILT_IN.contains(nameOrPath)) {
      return parse(text(nameOrPath), nameOrPath);
    }
    Path p = Path.of(nameOrPath);
    if (Files.isRegularFile(p)) {
      try {
        return parse(Files.readString(p), p.toString());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new IllegalArgumentException(
        "no scenario '" + nameOrPath + "': give a file or one of " + BUILT_IN);
  }

  /** The built-in scenario's file as it ships, for a user to copy. */
  public static String text(String name) {
    if (!BUILT_IN.contains(name)) {
      throw new IllegalArgumentException("no built-in scenario '" + name + "'; see " + BUILT_IN);
    }
    try (InputStream in = Scenarios.class.getResourceAsStream("/scenarios/" + name + ".json")) {
      if (in == null) {
        throw new IllegalStateException("scenarios/" + name + ".json is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses a scenario; {@code where} names it in messages. */
  public static Scenario parse(String json, String where) {
    try {
      return JSON.readValue(json, Scenario.class);
    } catch (JacksonException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IllegalArgumentException iae) {
        throw new IllegalArgumentException(where + ": " + iae.getMessage(), e);
      }
      throw new IllegalArgumentException(where + ": " + e.getOriginalMessage(), e);
    }
  }
}
