package dev.spotbatch.dispatcher.security;

import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One API key: a name for people and logs, the SHA-256 of its token (never the token), its roles,
 * and its rate limit.
 *
 * @param name shows in logs and messages instead of the token
 * @param sha256 the token's SHA-256, 32 bytes
 * @param roles what the key may do, at least one
 * @param rateLimit requests per second and burst for this key
 */
public record ApiKey(String name, byte[] sha256, Set<Role> roles, RateLimit rateLimit) {
  private static final Pattern HEX64 = Pattern.compile("[0-9a-fA-F]{64}");

  public ApiKey {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("an API key needs a name");
    }
    if (sha256 == null || sha256.length != 32) {
      throw new IllegalArgumentException("API key '" + name + "': the hash must be 32 bytes");
    }
    if (roles == null || roles.isEmpty()) {
      throw new IllegalArgumentException(
          "API key '" + name + "' has no roles; give one or more of " + Role.allowed());
    }
    sha256 = sha256.clone();
    roles = Set.copyOf(EnumSet.copyOf(roles));
  }

  /** A key from its configured hex hash; the message names the key and says what is wrong. */
  public static ApiKey ofHex(String name, String sha256Hex, Set<Role> roles, RateLimit rateLimit) {
    if (sha256Hex == null || !HEX64.matcher(sha256Hex.trim()).matches()) {
      throw new IllegalArgumentException(
          "API key '"
              + name
              + "': hash must be the 64 hex digits of the token's SHA-256"
              + " (printf %s \"$TOKEN\" | sha256sum)");
    }
    return new ApiKey(name, HexFormat.of().parseHex(sha256Hex.trim()), roles, rateLimit);
  }

  /** A key for a plain token, hashed here; the token is not kept. */
  public static ApiKey ofToken(String name, String token, Set<Role> roles, RateLimit rateLimit) {
    return new ApiKey(name, Tokens.sha256(token), roles, rateLimit);
  }

  @Override
  public byte[] sha256() {
    return sha256.clone();
  }

  @Override
  public String toString() {
    // never the hash: a log line must not help anyone match a token
    return "ApiKey[" + name + " " + roles + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ApiKey k && k.name.equals(name);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }
}
