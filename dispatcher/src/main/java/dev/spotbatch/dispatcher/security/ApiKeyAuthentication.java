package dev.spotbatch.dispatcher.security;

import java.util.Set;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** A request authenticated by an API key (or, in open mode, by nobody, with every role). */
public final class ApiKeyAuthentication extends AbstractAuthenticationToken {
  private final String keyName;
  private final Set<Role> roles;
  private final RateLimit rateLimit;

  ApiKeyAuthentication(String keyName, Set<Role> roles, RateLimit rateLimit) {
    super(roles.stream().map(r -> new SimpleGrantedAuthority(r.authority())).toList());
    this.keyName = keyName;
    this.roles = Set.copyOf(roles);
    this.rateLimit = rateLimit;
    setAuthenticated(true);
  }

  static ApiKeyAuthentication of(ApiKey key) {
    return new ApiKeyAuthentication(key.name(), key.roles(), key.rateLimit());
  }

  public Set<Role> roles() {
    return roles;
  }

  RateLimit rateLimit() {
    return rateLimit;
  }

  @Override
  public Object getCredentials() {
    return "";
  }

  @Override
  public Object getPrincipal() {
    return keyName;
  }
}
