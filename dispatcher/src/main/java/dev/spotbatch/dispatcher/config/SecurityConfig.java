package dev.spotbatch.dispatcher.config;

import dev.spotbatch.dispatcher.security.Access;
import dev.spotbatch.dispatcher.security.ApiKey;
import dev.spotbatch.dispatcher.security.ApiKeyAuthentication;
import dev.spotbatch.dispatcher.security.ApiKeys;
import dev.spotbatch.dispatcher.security.BearerTokenFilter;
import dev.spotbatch.dispatcher.security.LocalApiToken;
import dev.spotbatch.dispatcher.security.RateLimit;
import dev.spotbatch.dispatcher.security.RateLimiter;
import dev.spotbatch.dispatcher.security.Refusals;
import dev.spotbatch.dispatcher.security.RequestLimitFilter;
import dev.spotbatch.dispatcher.security.Role;
import dev.spotbatch.dispatcher.security.Tokens;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

/**
 * Spring Security for the API: bearer API keys with roles ({@link Access} says what needs which),
 * 401/403/413/429 as problem+json, and the embedded default's token file. Refuses to start without
 * keys unless {@code spotbatch.security.mode=open}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class SecurityConfig {
  private static final Logger log = LoggerFactory.getLogger(SecurityConfig.class);

  /** The keys in force, and where the embedded default's token is (null otherwise). */
  record Keys(ApiKeys keys, Path tokenFile, boolean tokenGenerated) {}

  @Bean
  Keys apiKeys(SecurityProperties security, SpotbatchProperties props) {
    Keys keys = resolve(security, props.dataPath(), new SecureRandom());
    if (security.mode() == SecurityProperties.Mode.OPEN) {
      log.warn(
          "\n***********************************************************************\n"
              + "*  spotbatch.security.mode=open: the API has NO AUTHENTICATION.       *\n"
              + "*  Anyone who reaches this port can submit and read every job and     *\n"
              + "*  interrupt workers. Use it only on a closed network, for a test.    *\n"
              + "***********************************************************************");
    } else {
      log.info(
          "API keys: {}",
          keys.keys().all().stream().map(k -> k.name() + " " + roles(k.roles())).toList());
    }
    return keys;
  }

  /**
   * The keys from configuration, the plain token and the embedded default's token file; refuses
   * (with what to do) when mode is {@code keys} and there is none.
   */
  static Keys resolve(SecurityProperties security, Path dataDir, SecureRandom random) {
    RateLimit defaultLimit = rateLimit(security.rateLimit(), "spotbatch.security.rate-limit");
    List<ApiKey> keys = new ArrayList<>();
    for (int i = 0; i < security.keys().size(); i++) {
      SecurityProperties.Key k = security.keys().get(i);
      String where = "spotbatch.security.keys[" + i + "]";
      if (k.name() == null || k.name().isBlank()) {
        throw new IllegalStateException(where + ".name is missing: give every key a name");
      }
      try {
        keys.add(
            ApiKey.ofHex(
                k.name(),
                k.hash(),
                roles(k.roles(), where + ".roles"),
                k.rateLimit() == null
                    ? defaultLimit
                    : rateLimit(k.rateLimit(), where + ".rate-limit")));
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException(where + ": " + e.getMessage());
      }
    }
    String token = security.token() == null ? "" : security.token().strip();
    Path tokenFile = null;
    boolean generated = false;
    if (security.localToken()) {
      generated = token.isEmpty();
      if (generated) {
        token = Tokens.generate(random);
      }
      try {
        tokenFile = LocalApiToken.write(dataDir, token);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot write the API token to " + dataDir.resolve(LocalApiToken.FILE_NAME), e);
      }
      keys.add(ApiKey.ofToken("local", token, EnumSet.allOf(Role.class), defaultLimit));
    } else if (!token.isEmpty()) {
      keys.add(
          ApiKey.ofToken(
              "SPOTBATCH_API_TOKEN",
              token,
              roles(security.tokenRoles(), "spotbatch.security.token-roles"),
              defaultLimit));
    }
    if (keys.isEmpty() && security.mode() == SecurityProperties.Mode.KEYS) {
      throw new IllegalStateException(
          "no API keys are configured, and the dispatcher does not run without them. Give at"
              + " least one: spotbatch.security.keys[0].name=ops,"
              + " spotbatch.security.keys[0].hash=<SHA-256 hex of the token: printf %s \"$TOKEN\""
              + " | sha256sum>, spotbatch.security.keys[0].roles=jobs,fleet; or set the"
              + " environment variable SPOTBATCH_API_TOKEN; or, on a closed network only,"
              + " spotbatch.security.mode=open to run without authentication");
    }
    return new Keys(new ApiKeys(keys), tokenFile, generated);
  }

  @Bean
  SecurityFilterChain apiSecurity(
      HttpSecurity http, SecurityProperties security, Keys keys, Clock clock) throws Exception {
    Refusals refusals =
        new Refusals(
            keys.tokenFile() != null
                ? "the embedded default's token is in "
                    + keys.tokenFile()
                    + "; ./spotbatch reads it"
                : "ask the operator for an API key; keys are configured as"
                    + " spotbatch.security.keys[n]");
    BearerTokenFilter bearer =
        security.mode() == SecurityProperties.Mode.OPEN
            ? BearerTokenFilter.open(
                ApiKey.ofToken(
                    "open",
                    Tokens.generate(new SecureRandom()),
                    EnumSet.allOf(Role.class),
                    rateLimit(security.rateLimit(), "spotbatch.security.rate-limit")),
                refusals)
            : new BearerTokenFilter(keys.keys(), refusals);
    RequestLimitFilter limits =
        new RequestLimitFilter(new RateLimiter(clock), security.maxBodySize().toBytes());
    return http
        // bearer tokens in a header, no cookies and no sessions: nothing for CSRF to forge
        .csrf(AbstractHttpConfigurer::disable)
        .httpBasic(AbstractHttpConfigurer::disable)
        .formLogin(AbstractHttpConfigurer::disable)
        .logout(AbstractHttpConfigurer::disable)
        .requestCache(AbstractHttpConfigurer::disable)
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .addFilterBefore(bearer, AnonymousAuthenticationFilter.class)
        .addFilterAfter(limits, AuthorizationFilter.class)
        .authorizeHttpRequests(
            a ->
                a
                    // the error page of a request that was already let in
                    .dispatcherTypeMatchers(DispatcherType.ERROR)
                    .permitAll()
                    .anyRequest()
                    .access(
                        (auth, ctx) -> {
                          Access need = Access.of(ctx.getRequest());
                          return new AuthorizationDecision(
                              need == Access.PUBLIC
                                  || auth.get() instanceof ApiKeyAuthentication k
                                      && need.allows(k.roles()));
                        }))
        .exceptionHandling(e -> e.authenticationEntryPoint(refusals).accessDeniedHandler(refusals))
        .build();
  }

  /** Announces the URL and the local token once the port is known. */
  @Bean
  ApplicationListener<WebServerInitializedEvent> announceLocalToken(
      Keys keys, SpotbatchProperties props) {
    return event -> {
      if (keys.tokenFile() == null || event.getApplicationContext().getServerNamespace() != null) {
        return;
      }
      String url = "http://127.0.0.1:" + event.getWebServer().getPort() + "/";
      log.info(
          "spotbatch API at {} (every call but /actuator/health needs 'Authorization: Bearer"
              + " <token>'); the token is in {} (owner-only); ./spotbatch --data-dir {} reads it",
          url,
          keys.tokenFile(),
          props.dataPath());
      // the token itself only to a person at a terminal, never into a log file
      if (keys.tokenGenerated() && System.console() != null) {
        System.out.println();
        System.out.println("    spotbatch is running at " + url);
        System.out.println("    API token: " + readQuietly(keys.tokenFile()));
        System.out.println(
            "    (in " + keys.tokenFile() + "; send it as 'Authorization: Bearer <token>')");
        System.out.println();
      }
    };
  }

  private static String readQuietly(Path file) {
    try {
      return LocalApiToken.read(file);
    } catch (IOException e) {
      return "(see " + file + ")";
    }
  }

  private static Set<Role> roles(List<String> names, String where) {
    if (names == null || names.isEmpty()) {
      throw new IllegalStateException(where + " is empty: give " + Role.allowed() + " or both");
    }
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String n : names) {
      roles.add(
          Role.parse(n)
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          where + ": unknown role '" + n + "'; use " + Role.allowed())));
    }
    return roles;
  }

  private static String roles(Set<Role> roles) {
    return roles.stream().map(Role::apiName).sorted().toList().toString();
  }

  private static RateLimit rateLimit(SecurityProperties.RateLimitSettings s, String where) {
    try {
      return new RateLimit(s.requestsPerSecond(), s.burst());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(where + ": " + e.getMessage());
    }
  }
}
