package dev.spotbatch.worker.notice.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * A {@link HttpClient} for instance-metadata services: HTTP/1.1 (no h2c upgrade), never through a
 * proxy, no redirects, a short connect timeout. Requests carry their own (short) timeouts. One per
 * provider; thread-safe.
 */
public final class MetadataHttp {
  /**
   * Connect timeout for every metadata call: the service is link-local, it answers fast or not at
   * all.
   */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);

  /** Request timeout for a plain (not long-polling) metadata call. */
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

  private final HttpClient client;

  public MetadataHttp() {
    this(CONNECT_TIMEOUT);
  }

  public MetadataHttp(Duration connectTimeout) {
    Executor executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "notice-http");
              t.setDaemon(true);
              return t;
            });
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .proxy(HttpClient.Builder.NO_PROXY)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Objects.requireNonNull(connectTimeout, "connectTimeout"))
            .executor(executor)
            .build();
  }

  /** A request builder for {@code base + pathAndQuery} with the default request timeout. */
  public static HttpRequest.Builder request(URI base, String pathAndQuery) {
    return request(base, pathAndQuery, REQUEST_TIMEOUT);
  }

  public static HttpRequest.Builder request(URI base, String pathAndQuery, Duration timeout) {
    return HttpRequest.newBuilder(resolve(base, pathAndQuery)).timeout(timeout);
  }

  /** Joins a base URL (with or without a trailing slash) and an absolute path. */
  public static URI resolve(URI base, String pathAndQuery) {
    String b = base.toString();
    while (b.endsWith("/")) {
      b = b.substring(0, b.length() - 1);
    }
    return URI.create(b + pathAndQuery);
  }

  /** Sends and returns the body as text; transport failures and timeouts throw. */
  public HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** The underlying client (for asynchronous probes). */
  public HttpClient client() {
    return client;
  }
}
