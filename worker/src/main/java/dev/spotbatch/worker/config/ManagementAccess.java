package dev.spotbatch.worker.config;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.util.HexFormat;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Who sees the worker's health details. {@code /actuator/health} is public but shows only the
 * status ({@code management.endpoint.health.show-details=when-authorized}); its details (the
 * leases, with their job and item ids) need {@code Authorization: Bearer <management token>}, a
 * token whose SHA-256 is {@code spotbatch.worker.management.token-hash}, or which is given in plain
 * by {@code SPOTBATCH_WORKER_MANAGEMENT_TOKEN} (the local fleet hands each worker one that way).
 * Without a configured token nobody sees the details. {@code /actuator/prometheus} stays public:
 * its metrics carry no job or item ids.
 */
@Configuration(proxyBeanMethods = false)
public class ManagementAccess {

  @Bean
  FilterRegistrationBean<TokenFilter> managementTokenFilter(
      @Value("${spotbatch.worker.management.token:${SPOTBATCH_WORKER_MANAGEMENT_TOKEN:}}")
          String token,
      @Value("${spotbatch.worker.management.token-hash:}") String tokenHash) {
    byte[] hash = null;
    if (tokenHash != null && !tokenHash.isBlank()) {
      if (!tokenHash.strip().matches("[0-9a-fA-F]{64}")) {
        throw new IllegalStateException(
            "spotbatch.worker.management.token-hash must be the 64 hex digits of the token's"
                + " SHA-256 (printf %s \"$TOKEN\" | sha256sum)");
      }
      hash = HexFormat.of().parseHex(tokenHash.strip());
    } else if (token != null && !token.isBlank()) {
      hash = sha256(token.strip());
    }
    FilterRegistrationBean<TokenFilter> bean = new FilterRegistrationBean<>(new TokenFilter(hash));
    bean.addUrlPatterns("/actuator/*");
    return bean;
  }

  /** Marks a request with the right bearer token as the management principal; never refuses. */
  static final class TokenFilter extends OncePerRequestFilter {
    private static final Principal MANAGEMENT = () -> "management";
    private final byte[] hash;

    TokenFilter(byte[] hash) {
      this.hash = hash;
    }

    @Override
    protected void doFilterInternal(
        HttpServletRequest request, HttpServletResponse response, FilterChain chain)
        throws ServletException, IOException {
      String header = request.getHeader("Authorization");
      if (hash != null
          && header != null
          && header.regionMatches(true, 0, "Bearer ", 0, 7)
          && MessageDigest.isEqual(hash, sha256(header.substring(7).strip()))) {
        chain.doFilter(
            new HttpServletRequestWrapper(request) {
              @Override
              public Principal getUserPrincipal() {
                return MANAGEMENT;
              }

              @Override
              public boolean isUserInRole(String role) {
                return true;
              }
            },
            response);
        return;
      }
      chain.doFilter(request, response);
    }
  }

  static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
