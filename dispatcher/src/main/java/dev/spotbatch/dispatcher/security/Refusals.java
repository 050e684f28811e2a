package dev.spotbatch.dispatcher.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/** The 401 and 403 answers, each saying what to fix. */
public final class Refusals implements AuthenticationEntryPoint, AccessDeniedHandler {
  private final String whereIsTheToken;

  /**
   * @param whereIsTheToken where a user finds a token, for the messages (e.g. the embedded
   *     default's token file)
   */
  public Refusals(String whereIsTheToken) {
    this.whereIsTheToken = whereIsTheToken;
  }

  /** No {@code Authorization} header on an endpoint that needs one. */
  @Override
  public void commence(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
      throws IOException {
    unauthorized(
        request,
        response,
        "missing-token",
        "An API key is required",
        request.getMethod()
            + " "
            + request.getRequestURI()
            + " needs an API key: send the header 'Authorization: Bearer <token>' ("
            + whereIsTheToken
            + "); only /actuator/health and the dashboard's files are public",
        null);
  }

  /** A header that is not {@code Bearer <token>}. */
  void malformed(HttpServletRequest request, HttpServletResponse response, String scheme)
      throws IOException {
    unauthorized(
        request,
        response,
        "malformed-token",
        "The Authorization header is malformed",
        "the Authorization header must be 'Bearer <token>' (one space, a token without spaces)"
            + (scheme.isEmpty() ? "" : "; the '" + scheme + "' scheme is not supported")
            + " ("
            + whereIsTheToken
            + ")",
        "invalid_request");
  }

  /** A well-formed token that matches no key. */
  void unknown(HttpServletRequest request, HttpServletResponse response) throws IOException {
    unauthorized(
        request,
        response,
        "unknown-token",
        "The API key is not known",
        "the bearer token matches no API key of this dispatcher; check that it is complete and"
            + " current ("
            + whereIsTheToken
            + "; the embedded default makes a new one at each start unless SPOTBATCH_API_TOKEN"
            + " is set)",
        "invalid_token");
  }

  /** A known key without the role the endpoint needs. */
  @Override
  public void handle(
      HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
      throws IOException {
    Access needed = Access.of(request);
    var auth = SecurityContextHolder.getContext().getAuthentication();
    String key = auth == null ? "?" : auth.getName();
    String has =
        auth instanceof ApiKeyAuthentication a
            ? String.join(", ", a.roles().stream().map(Role::apiName).sorted().toList())
            : "none";
    Problems.write(
        request,
        response,
        HttpServletResponse.SC_FORBIDDEN,
        "forbidden",
        "The API key lacks the role this needs",
        request.getMethod()
            + " "
            + request.getRequestURI()
            + " needs the role "
            + needed.describe()
            + "; the key '"
            + key
            + "' has: "
            + has
            + ". Use a key with that role, or add the role to this key"
            + " (spotbatch.security.keys[n].roles)",
        Map.of(
            "requiredRoles",
            needed.anyOf().stream().map(Role::apiName).sorted().toList(),
            "key",
            key));
  }

  private static void unauthorized(
      HttpServletRequest request,
      HttpServletResponse response,
      String type,
      String title,
      String detail,
      String bearerError)
      throws IOException {
    // RFC 6750 section 3: name the scheme, and the error when a token was sent
    response.setHeader(
        "WWW-Authenticate",
        "Bearer realm=\"spotbatch\""
            + (bearerError == null ? "" : ", error=\"" + bearerError + "\""));
    Problems.write(
        request, response, HttpServletResponse.SC_UNAUTHORIZED, type, title, detail, Map.of());
  }
}
