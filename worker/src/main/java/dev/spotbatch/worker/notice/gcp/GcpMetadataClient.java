package dev.spotbatch.worker.notice.gcp;

import dev.spotbatch.worker.notice.http.MetadataException;
import dev.spotbatch.worker.notice.http.MetadataHttp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A GCE metadata client: every request carries {@code Metadata-Flavor: Google} and every answer
 * must carry it back (anything else is not the metadata server). Thread-safe.
 */
public final class GcpMetadataClient {
  static final String FLAVOR = "Metadata-Flavor";
  static final String GOOGLE = "Google";
  static final String PREFIX = "/computeMetadata/v1/";

  static final Duration DEFAULT_TIMEOUT = MetadataHttp.REQUEST_TIMEOUT;

  private final URI base;
  private final MetadataHttp http;

  public GcpMetadataClient(URI base, MetadataHttp http) {
    this.base = Objects.requireNonNull(base, "base");
    this.http = Objects.requireNonNull(http, "http");
  }

  /** One answer: the value and its ETag (null if the server sent none). */
  public record Value(String body, String etag) {}

  /** {@code GET /computeMetadata/v1/<path>}: the body on 200, empty on 404. */
  public Optional<String> get(String path) throws IOException, InterruptedException {
    return fetch(path, MetadataHttp.REQUEST_TIMEOUT).map(Value::body);
  }

  /** {@code GET} with a request timeout; the value with its ETag on 200, empty on 404. */
  Optional<Value> fetch(String pathAndQuery, Duration timeout)
      throws IOException, InterruptedException {
    HttpRequest request =
        MetadataHttp.request(base, PREFIX + pathAndQuery, timeout)
            .header(FLAVOR, GOOGLE)
            .GET()
            .build();
    HttpResponse<String> response = http.send(request);
    String flavor = response.headers().firstValue(FLAVOR).orElse(null);
    if (!GOOGLE.equals(flavor)) {
      throw new MetadataException(
          "not a GCE metadata server: "
              + pathAndQuery
              + " answered "
              + response.statusCode()
              + " without "
              + FLAVOR
              + ": "
              + GOOGLE,
          response.statusCode());
    }
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    if (response.statusCode() != 200) {
      throw new MetadataException(
          "GCE metadata " + pathAndQuery + " answered " + response.statusCode(),
          response.statusCode());
    }
    return Optional.of(
        new Value(response.body(), response.headers().firstValue("ETag").orElse(null)));
  }
}
