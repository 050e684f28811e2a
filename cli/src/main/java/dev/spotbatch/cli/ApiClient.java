package dev.spotbatch.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The REST API over the JDK's {@link HttpClient}: JSON in and out, the bearer token when there is
 * one, and every failure turned into an {@link ApiException} whose message a person can act on (an
 * RFC 9457 problem's title and detail, the fields it names) and whose exit code a script can test.
 */
final class ApiClient {
  static final ObjectMapper JSON = JsonMapper.builder().build();

  private final URI base;
  private final Optional<Token> token;
  private final Duration timeout;
  private final HttpClient http;

  ApiClient(URI base, Optional<Token> token, Duration timeout) {
    this.base = base;
    this.token = token;
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** The server's base URL, validated: {@code http(s)://host[:port][/prefix]}. */
  static URI baseUri(String url) {
    String u = url.strip();
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    try {
      URI uri = new URI(u);
      String scheme = uri.getScheme();
      if (scheme == null
          || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          || uri.getHost() == null) {
        throw new ApiException(
            ExitCode.USAGE,
            "the server URL must look like http://host:port, was '"
                + url
                + "' (--url or SPOTBATCH_URL)");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new ApiException(
          ExitCode.USAGE, "the server URL '" + url + "' is not a URL: " + e.getReason());
    }
  }

  /** A path segment (a job or worker id) percent-encoded. */
  static String segment(String s) {
    StringBuilder sb = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~') {
        sb.append((char) c);
      } else {
        sb.append('%').append(String.format("%02X", c));
      }
    }
    return sb.toString();
  }

  /** A query value percent-encoded. */
  static String query(String s) {
    return segment(s);
  }

  URI base() {
    return base;
  }

  JsonNode get(String pathAndQuery) {
    return send("GET", pathAndQuery, null);
  }

  JsonNode post(String path, JsonNode body) {
    return send("POST", path, body);
  }

  private JsonNode send(String method, String pathAndQuery, JsonNode body) {
    URI uri = URI.create(base + pathAndQuery);
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json");
    token.ifPresent(t -> b.header("Authorization", "Bearer " + t.value()));
    if (body != null) {
      b.header("Content-Type", "application/json");
      b.method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<String> response;
    try {
      response = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpConnectTimeoutException | ConnectException e) {
      throw new ApiException(
          ExitCode.UNREACHABLE,
          "cannot reach the dispatcher at "
              + base
              + " ("
              + describe(e)
              + "); is it running (./run-local.sh)? Set the URL with --url or SPOTBATCH_URL");
    } catch (HttpTimeoutException e) {
      throw new ApiException(
          ExitCode.UNREACHABLE,
          "the dispatcher at "
              + base
              + " did not answer "
              + method
              + " "
              + pathAndQuery
              + " within "
              + timeout.toSeconds()
              + " s (--timeout)");
    } catch (IOException e) {
      throw new ApiException(
          ExitCode.UNREACHABLE,
          "cannot talk to the dispatcher at " + base + " (" + describe(e) + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(ExitCode.ERROR, "interrupted");
    }
    int status = response.statusCode();
    JsonNode json = parse(response.body());
    if (status >= 200 && status < 300) {
      if (json == null) {
        throw new ApiException(
            ExitCode.ERROR,
            status,
            method + " " + pathAndQuery + " answered " + status + " without a JSON body");
      }
      return json;
    }
    throw failure(method, pathAndQuery, status, json, response.body());
  }

  private ApiException failure(
      String method, String pathAndQuery, int status, JsonNode json, String raw) {
    StringBuilder msg = new StringBuilder();
    String title = json == null ? null : text(json, "title");
    String detail = json == null ? null : text(json, "detail");
    if (title != null) {
      msg.append(title);
    } else {
      msg.append(method).append(' ').append(pathAndQuery).append(" failed");
    }
    msg.append(" (").append(status).append(')');
    if (detail != null) {
      msg.append(": ").append(detail);
    } else if (json == null && raw != null && !raw.isBlank()) {
      String first = raw.strip().lines().findFirst().orElse("");
      msg.append(": ").append(first.length() > 200 ? first.substring(0, 200) + "..." : first);
    }
    JsonNode errors = json == null ? null : json.get("errors");
    if (errors != null && errors.isArray()) {
      for (JsonNode e : errors) {
        String field = text(e, "field");
        String m = text(e, "message");
        if (m != null && !m.equals(detail)) {
          msg.append(System.lineSeparator())
              .append("  - ")
              .append(field == null ? "" : field + ": ")
              .append(m);
        }
      }
    }
    if (status == 401 || status == 403) {
      msg.append(System.lineSeparator())
          .append(
              token
                  .map(t -> "  the token from " + t.source() + " was " + refused(status))
                  .orElse(
                      "  no token was sent: give one with --token, "
                          + Token.ENV
                          + " or the file <data-dir>/"
                          + Token.FILE
                          + " (--data-dir)"));
    }
    return new ApiException(ExitCode.forStatus(status), status, msg.toString());
  }

  private static String refused(int status) {
    return status == 401 ? "refused" : "accepted but lacks the role this needs";
  }

  private static JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      return JSON.readTree(body);
    } catch (JacksonException e) {
      return null;
    }
  }

  static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asString();
  }

  private static String describe(Exception e) {
    String m = e.getMessage();
    if (e instanceof ConnectException && (m == null || m.isBlank())) {
      return "connection refused";
    }
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }
}
