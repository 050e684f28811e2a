package dev.spotbatch.dispatcher.config;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code spotbatch.security.*}: API keys, the plain-token convenience, the embedded default's token
 * file, and the request limits. Its {@code toString} shows no token and no hash.
 *
 * @param mode {@code keys} (default: every call but {@code /actuator/health} needs a key, and the
 *     dispatcher refuses to start without one) or {@code open} (no authentication; a loud warning)
 * @param keys the API keys: name, SHA-256 hex of the token, roles, optional rate limit
 * @param token a plain token (default: the environment variable {@code SPOTBATCH_API_TOKEN}),
 *     hashed at start, with {@code token-roles}; in the embedded default it becomes the local token
 * @param tokenRoles the roles of {@code token}
 * @param localToken the embedded default: use {@code token} or generate one, write it to {@code
 *     <data-dir>/api-token} (0600) and announce it
 * @param maxBodySize requests with a larger body are refused with 413
 * @param maxInlineRecords jobs with more inline {@code records} are refused with 400
 * @param rateLimit each key's token bucket, unless the key has its own
 */
@ConfigurationProperties("spotbatch.security")
public record SecurityProperties(
    @DefaultValue("keys") Mode mode,
    List<Key> keys,
    String token,
    @DefaultValue({"jobs", "fleet"}) List<String> tokenRoles,
    @DefaultValue("false") boolean localToken,
    @DefaultValue("10MB") DataSize maxBodySize,
    @DefaultValue("10000") int maxInlineRecords,
    @DefaultValue RateLimitSettings rateLimit) {

  public SecurityProperties {
    keys = keys == null ? List.of() : List.copyOf(keys);
    tokenRoles = tokenRoles == null ? List.of() : List.copyOf(tokenRoles);
  }

  /** Whether API keys are required. */
  public enum Mode {
    KEYS,
    OPEN
  }

  /**
   * One configured key.
   *
   * @param name for logs and messages
   * @param hash the lowercase hex SHA-256 of the token ({@code printf %s "$TOKEN" | sha256sum})
   * @param roles {@code jobs}, {@code fleet} or both
   * @param rateLimit this key's own limit (optional)
   */
  public record Key(String name, String hash, List<String> roles, RateLimitSettings rateLimit) {
    @Override
    public String toString() {
      return "Key[" + name + " " + roles + "]";
    }
  }

  /**
   * @param requestsPerSecond sustained requests per second
   * @param burst requests at once
   */
  public record RateLimitSettings(
      @DefaultValue("50") double requestsPerSecond, @DefaultValue("200") int burst) {}

  @Override
  public String toString() {
    return "SecurityProperties[mode="
        + mode
        + ", keys="
        + keys
        + ", token="
        + (token == null || token.isEmpty() ? "none" : "(set)")
        + ", localToken="
        + localToken
        + ", maxBodySize="
        + maxBodySize
        + ", maxInlineRecords="
        + maxInlineRecords
        + ", rateLimit="
        + rateLimit
        + "]";
  }
}
