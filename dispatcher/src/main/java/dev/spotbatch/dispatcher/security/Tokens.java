package dev.spotbatch.dispatcher.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Tokens and their hashes. A token is 32 random bytes, URL-safe Base64 (43 characters); it is
 * stored as the lowercase hex SHA-256 of its UTF-8 bytes ({@code printf %s "$TOKEN" | sha256sum}).
 * A salted slow hash would add nothing for 256 random bits: nobody can guess them.
 */
public final class Tokens {
  /** Bytes of randomness in a generated token. */
  public static final int TOKEN_BYTES = 32;

  private Tokens() {}

  /** A new token: 32 bytes from {@code random}, URL-safe Base64 without padding. */
  public static String generate(SecureRandom random) {
    byte[] b = new byte[TOKEN_BYTES];
    random.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** The lowercase hex SHA-256 of the token's UTF-8 bytes. */
  public static String sha256Hex(String token) {
    return HexFormat.of().formatHex(sha256(token));
  }

  static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
