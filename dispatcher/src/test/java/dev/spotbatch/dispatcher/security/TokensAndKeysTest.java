package dev.spotbatch.dispatcher.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokensAndKeysTest {
  static final RateLimit LIMIT = new RateLimit(10, 10);

  @Test
  void aGeneratedTokenIs32RandomBytesUrlSafe() {
    SecureRandom random = new SecureRandom();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      String t = Tokens.generate(random);
      assertThat(t).hasSize(43).matches("[A-Za-z0-9_-]+");
      seen.add(t);
    }
    assertThat(seen).hasSize(100);
  }

  @Test
  void theHashIsTheHexSha256OfTheTokensBytesAsSha256sumPrintsIt() {
    // printf %s abc | sha256sum
    assertThat(Tokens.sha256Hex("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void aTokenFindsItsKeyAndOnlyItsKey() {
    ApiKey jobs = ApiKey.ofHex("ci", Tokens.sha256Hex("t-jobs"), EnumSet.of(Role.JOBS), LIMIT);
    ApiKey fleet = ApiKey.ofToken("ops", "t-fleet", EnumSet.of(Role.FLEET), LIMIT);
    ApiKeys keys = new ApiKeys(List.of(jobs, fleet));

    assertThat(keys.find("t-jobs")).contains(jobs);
    assertThat(keys.find("t-fleet")).contains(fleet);
    assertThat(keys.find("t-job")).isEmpty();
    assertThat(keys.find("")).isEmpty();
    assertThat(keys.find(null)).isEmpty();
  }

  @Test
  void aKeyNeverShowsItsHash() {
    String hash = Tokens.sha256Hex("secret");
    ApiKey k = ApiKey.ofHex("ci", hash, EnumSet.of(Role.JOBS), LIMIT);
    assertThat(k.toString()).contains("ci").doesNotContain(hash).doesNotContain("secret");
  }

  @Test
  void badKeysAreRefusedWithWhatToFix() {
    assertThatThrownBy(() -> ApiKey.ofHex("ci", "abc", EnumSet.of(Role.JOBS), LIMIT))
        .hasMessageContaining("'ci'")
        .hasMessageContaining("64 hex digits")
        .hasMessageContaining("sha256sum");
    assertThatThrownBy(() -> ApiKey.ofToken("ci", "t", EnumSet.noneOf(Role.class), LIMIT))
        .hasMessageContaining("no roles")
        .hasMessageContaining("jobs|fleet");
    ApiKey a = ApiKey.ofToken("same", "a", EnumSet.of(Role.JOBS), LIMIT);
    ApiKey b = ApiKey.ofToken("same", "b", EnumSet.of(Role.JOBS), LIMIT);
    assertThatThrownBy(() -> new ApiKeys(List.of(a, b))).hasMessageContaining("'same'");
  }

  @Test
  void theBearerSchemeIsCaseInsensitiveAndTheTokenHasNoSpaces() {
    assertThat(BearerTokenFilter.token("Bearer abc")).contains("abc");
    assertThat(BearerTokenFilter.token("bearer abc")).contains("abc");
    assertThat(BearerTokenFilter.token("Bearer ")).isEmpty();
    assertThat(BearerTokenFilter.token("Bearer a b")).isEmpty();
    assertThat(BearerTokenFilter.token("Bearer  abc")).isEmpty();
    assertThat(BearerTokenFilter.token("Basic dXNlcjpwYXNz")).isEmpty();
    assertThat(BearerTokenFilter.token("abc")).isEmpty();
  }
}
