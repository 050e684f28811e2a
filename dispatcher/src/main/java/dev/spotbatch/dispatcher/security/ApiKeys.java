package dev.spotbatch.dispatcher.security;

import java.security.MessageDigest;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The configured keys; finds the key of a presented token without leaking timing. */
public final class ApiKeys {
  private final List<ApiKey> keys;

  public ApiKeys(List<ApiKey> keys) {
    this.keys = List.copyOf(keys);
    Set<String> names = new HashSet<>();
    for (ApiKey k : this.keys) {
      if (!names.add(k.name())) {
        throw new IllegalArgumentException(
            "two API keys are named '" + k.name() + "'; give each key its own name");
      }
    }
  }

  /**
   * The key whose hash is the token's SHA-256. Every key is compared, each in constant time, so the
   * answer's timing says nothing about how close a guess came.
   */
  public Optional<ApiKey> find(String token) {
    if (token == null) {
      return Optional.empty();
    }
    byte[] hash = Tokens.sha256(token);
    ApiKey found = null;
    for (ApiKey k : keys) {
      if (MessageDigest.isEqual(hash, k.sha256()) && found == null) {
        found = k;
      }
    }
    return Optional.ofNullable(found);
  }

  public boolean isEmpty() {
    return keys.isEmpty();
  }

  public List<ApiKey> all() {
    return keys;
  }
}
