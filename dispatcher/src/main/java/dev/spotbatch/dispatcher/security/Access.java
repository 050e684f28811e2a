package dev.spotbatch.dispatcher.security;

import static org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher.pathPattern;

import jakarta.servlet.http.HttpServletRequest;
import java.util.EnumSet;
import java.util.Set;
import org.springframework.http.HttpMethod;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * What each endpoint class needs, in one place: the authorization rule and the 403 message both
 * read it. Paths are matched as Spring MVC matches them (decoded), so {@code /api/v1/%66leet} is
 * the fleet too.
 */
public enum Access {
  /**
   * {@code /actuator/health} and its probes, and the dashboard's own files (they hold no data; the
   * page must load before it can send the token it was given in its URL fragment): no token.
   */
  PUBLIC(EnumSet.noneOf(Role.class)),
  /** Reading (GET, HEAD) the API and its description: any role. */
  READ(EnumSet.allOf(Role.class)),
  /** Submitting, cancelling, retrying jobs; estimates. */
  JOBS(EnumSet.of(Role.JOBS)),
  /** Operating the fleet (interrupt, scale) and the actuator's metrics. */
  FLEET(EnumSet.of(Role.FLEET));

  private static final RequestMatcher HEALTH =
      new OrRequestMatcher(
          pathPattern(HttpMethod.GET, "/actuator/health"),
          pathPattern(HttpMethod.GET, "/actuator/health/**"),
          pathPattern(HttpMethod.HEAD, "/actuator/health"),
          pathPattern(HttpMethod.HEAD, "/actuator/health/**"));
  // the dashboard's files (dispatcher/src/main/resources/static and the Chart.js webjar); every
  // call the page makes to the API carries the token
  private static final RequestMatcher DASHBOARD =
      new OrRequestMatcher(
          pathPattern(HttpMethod.GET, "/"),
          pathPattern(HttpMethod.GET, "/index.html"),
          pathPattern(HttpMethod.GET, "/dashboard/**"),
          pathPattern(HttpMethod.GET, "/webjars/chart.js/**"),
          pathPattern(HttpMethod.HEAD, "/"),
          pathPattern(HttpMethod.HEAD, "/index.html"),
          pathPattern(HttpMethod.HEAD, "/dashboard/**"),
          pathPattern(HttpMethod.HEAD, "/webjars/chart.js/**"));
  private static final RequestMatcher ACTUATOR = pathPattern("/actuator/**");
  private static final RequestMatcher FLEET_API =
      new OrRequestMatcher(pathPattern("/api/v1/fleet"), pathPattern("/api/v1/fleet/**"));

  private final Set<Role> anyOf;

  Access(Set<Role> anyOf) {
    this.anyOf = anyOf;
  }

  /** The roles of which a key needs one; empty for {@link #PUBLIC}. */
  public Set<Role> anyOf() {
    return anyOf;
  }

  /** What the request needs. Anything not named here is a write that needs {@code jobs}. */
  public static Access of(HttpServletRequest request) {
    if (HEALTH.matches(request) || DASHBOARD.matches(request)) {
      return PUBLIC;
    }
    if (ACTUATOR.matches(request)) {
      return FLEET;
    }
    String method = request.getMethod();
    if ("GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method)) {
      return READ;
    }
    return FLEET_API.matches(request) ? FLEET : JOBS;
  }

  /** Whether a key with these roles may do it. */
  public boolean allows(Set<Role> roles) {
    return this == PUBLIC || roles.stream().anyMatch(anyOf::contains);
  }

  /** For messages: {@code 'fleet'}, or {@code 'jobs' or 'fleet'}. */
  public String describe() {
    return String.join(" or ", anyOf.stream().map(r -> "'" + r.apiName() + "'").toList());
  }
}
