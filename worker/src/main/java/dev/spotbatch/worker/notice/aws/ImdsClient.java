package dev.spotbatch.worker.notice.aws;

import dev.spotbatch.worker.notice.http.MetadataException;
import dev.spotbatch.worker.notice.http.MetadataHttp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An IMDSv2 client: gets a session token with {@code PUT /latest/api/token}, caches it, refreshes
 * it a minute before it expires and once on a 401, and sends it with every {@code GET}. Never uses
 * the IMDSv1 (token-less) path. Thread-safe: the spot, rebalance and lifecycle sources share one.
 */
public final class ImdsClient {
  static final String TOKEN_PATH = "/latest/api/token";
  static final String TOKEN_HEADER = "X-aws-ec2-metadata-token";
  static final String TTL_HEADER = "X-aws-ec2-metadata-token-ttl-seconds";

  /** The longest session AWS allows (6 hours). */
  public static final Duration DEFAULT_TOKEN_TTL = Duration.ofSeconds(21600);

  private static final Duration REFRESH_BEFORE_EXPIRY = Duration.ofSeconds(60);

  private final URI base;
  private final MetadataHttp http;
  private final Clock clock;
  private final Duration tokenTtl;
  private final Object lock = new Object();
  private String token;
  private Instant refreshAt = Instant.MIN;

  public ImdsClient(URI base, MetadataHttp http, Clock clock) {
    this(base, http, clock, DEFAULT_TOKEN_TTL);
  }

  public ImdsClient(URI base, MetadataHttp http, Clock clock, Duration tokenTtl) {
    this.base = Objects.requireNonNull(base, "base");
    this.http = Objects.requireNonNull(http, "http");
    this.clock = Objects.requireNonNull(clock, "clock");
    long seconds = tokenTtl.toSeconds();
    if (seconds < 1 || seconds > 21600) {
      throw new IllegalArgumentException("IMDS token TTL must be 1..21600 s, was " + tokenTtl);
    }
    this.tokenTtl = tokenTtl;
  }

  public URI base() {
    return base;
  }

  /**
   * {@code GET /latest/meta-data/<path>}: the body on 200, empty on 404 ("not there"), retried once
   * with a fresh token on 401; anything else throws.
   */
  public Optional<String> get(String metadataPath) throws IOException, InterruptedException {
    String path = "/latest/meta-data/" + metadataPath;
    String used = token(null);
    HttpResponse<String> response = send(path, used);
    if (response.statusCode() == 401) {
      response = send(path, token(used)); // expired or revoked: one retry with a fresh token
    }
    switch (response.statusCode()) {
      case 200:
        return Optional.of(response.body());
      case 404:
        return Optional.empty();
      default:
        throw new MetadataException(
            "IMDS GET " + path + " answered " + response.statusCode(), response.statusCode());
    }
  }

  private HttpResponse<String> send(String path, String sessionToken)
      throws IOException, InterruptedException {
    return http.send(
        MetadataHttp.request(base, path).header(TOKEN_HEADER, sessionToken).GET().build());
  }

  /**
   * The cached token, or a new one if there is none, it is due for refresh, or it is {@code
   * rejected} (a token that got a 401; if another thread already replaced it, that one is used).
   */
  private String token(String rejected) throws IOException, InterruptedException {
    synchronized (lock) {
      Instant now = clock.instant();
      boolean stale = rejected != null && rejected.equals(token);
      if (!stale && token != null && now.isBefore(refreshAt)) {
        return token;
      }
      HttpResponse<String> response = http.send(tokenRequest(base, tokenTtl));
      if (response.statusCode() != 200 || response.body().isBlank()) {
        token = null;
        throw new MetadataException(
            "IMDS token PUT answered " + response.statusCode(), response.statusCode());
      }
      token = response.body().trim();
      Duration early =
          tokenTtl.compareTo(REFRESH_BEFORE_EXPIRY.multipliedBy(2)) > 0
              ? REFRESH_BEFORE_EXPIRY
              : tokenTtl.dividedBy(2);
      refreshAt = now.plus(tokenTtl).minus(early);
      return token;
    }
  }

  /** The session-token request (also the provider-detection probe). */
  static HttpRequest tokenRequest(URI base, Duration ttl) {
    return tokenRequest(base, ttl, MetadataHttp.REQUEST_TIMEOUT);
  }

  public static HttpRequest tokenRequest(URI base, Duration ttl, Duration timeout) {
    return MetadataHttp.request(base, TOKEN_PATH, timeout)
        .header(TTL_HEADER, Long.toString(ttl.toSeconds()))
        .PUT(HttpRequest.BodyPublishers.noBody())
        .build();
  }
}
