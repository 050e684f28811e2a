package dev.spotbatch.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The API token and where it came from, resolved like the dashboard does: {@code --token}, else
 * {@code SPOTBATCH_API_TOKEN}, else the file {@code <data-dir>/api-token} that the embedded default
 * writes. Never printed; only its source is named in messages.
 */
record Token(String value, String source) {
  static final String ENV = "SPOTBATCH_API_TOKEN";
  static final String FILE = "api-token";

  static Optional<Token> resolve(String option, Map<String, String> env, Path dataDir) {
    if (option != null && !option.isBlank()) {
      return Optional.of(new Token(option.trim(), "--token"));
    }
    String fromEnv = env.get(ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Optional.of(new Token(fromEnv.trim(), ENV));
    }
    Path file = dataDir.resolve(FILE);
    if (Files.isReadable(file)) {
      try {
        String s = Files.readString(file).trim();
        if (!s.isEmpty()) {
          return Optional.of(new Token(s, file.toString()));
        }
      } catch (IOException e) {
        // unreadable: as if absent; the server's 401 then says a token is needed
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return "Token[from " + source + "]";
  }
}
