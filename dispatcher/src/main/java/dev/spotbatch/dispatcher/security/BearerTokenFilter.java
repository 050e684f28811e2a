package dev.spotbatch.dispatcher.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer <token>} against the API keys. No header: the request
 * goes on anonymous (public endpoints answer; others get 401 from {@link Refusals}). A malformed
 * header or an unknown token is refused at once, on every endpoint: a client with a wrong token
 * should hear so, not get a public answer that hides it.
 */
public final class BearerTokenFilter extends OncePerRequestFilter {
  private static final String PREFIX = "bearer ";
  private final ApiKeys keys;
  private final Refusals refusals;
  private final ApiKey open;

  public BearerTokenFilter(ApiKeys keys, Refusals refusals) {
    this(keys, refusals, null);
  }

  private BearerTokenFilter(ApiKeys keys, Refusals refusals, ApiKey open) {
    this.keys = keys;
    this.refusals = refusals;
    this.open = open;
  }

  /**
   * Open mode ({@code spotbatch.security.mode=open}): every request acts as one key with every
   * role, sharing that key's rate limit; headers are ignored.
   */
  public static BearerTokenFilter open(ApiKey everyone, Refusals refusals) {
    return new BearerTokenFilter(new ApiKeys(java.util.List.of()), refusals, everyone);
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (open != null) {
      authenticated(open, request, response, chain);
      return;
    }
    String header = request.getHeader("Authorization");
    if (header == null) {
      chain.doFilter(request, response);
      return;
    }
    Optional<String> token = token(header);
    if (token.isEmpty()) {
      refusals.malformed(request, response, scheme(header));
      return;
    }
    Optional<ApiKey> key = keys.find(token.get());
    if (key.isEmpty()) {
      refusals.unknown(request, response);
      return;
    }
    authenticated(key.get(), request, response, chain);
  }

  private static void authenticated(
      ApiKey key, HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    SecurityContext context = SecurityContextHolder.createEmptyContext();
    context.setAuthentication(ApiKeyAuthentication.of(key));
    SecurityContextHolder.setContext(context);
    try {
      chain.doFilter(request, response);
    } finally {
      SecurityContextHolder.clearContext();
    }
  }

  /** The token of {@code Bearer <token>} (scheme in any case, RFC 7235); empty when malformed. */
  static Optional<String> token(String header) {
    if (header.length() <= PREFIX.length()
        || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      return Optional.empty();
    }
    String token = header.substring(PREFIX.length());
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        return Optional.empty();
      }
    }
    return Optional.of(token);
  }

  private static String scheme(String header) {
    String h = header.strip();
    int sp = h.indexOf(' ');
    String s = sp < 0 ? h : h.substring(0, sp);
    // a scheme is a short token; anything else may be a pasted secret, so it is not echoed
    return s.matches("[A-Za-z][A-Za-z0-9-]{0,19}") && sp > 0 ? s : "";
  }
}
