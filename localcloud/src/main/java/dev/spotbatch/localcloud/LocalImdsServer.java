package dev.spotbatch.localcloud;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An instance-metadata endpoint that answers like AWS IMDSv2 with {@code HttpTokens=required}:
 *
 * <ul>
 *   <li>{@code PUT /latest/api/token} with {@code X-aws-ec2-metadata-token-ttl-seconds} (1-21600)
 *       returns a token; without the header 400; with {@code X-Forwarded-For} 403.
 *   <li>Every {@code GET} needs a valid, unexpired {@code X-aws-ec2-metadata-token}, else 401.
 *   <li>{@code /latest/meta-data/spot/instance-action}: 404 until a spot interruption is announced,
 *       then {@code {"action":"terminate","time":"2026-11-29T10:02:00Z"}}.
 *   <li>{@code /latest/meta-data/events/recommendations/rebalance}: 404 until announced, then
 *       {@code {"noticeTime":"..."}}.
 *   <li>{@code /latest/meta-data/autoscaling/target-lifecycle-state}: {@code InService}, then
 *       {@code Terminated} once the Auto Scaling group removes the instance.
 *   <li>{@code instance-id}, {@code instance-type}, {@code placement/availability-zone}, {@code
 *       placement/region}, {@code instance-life-cycle} ({@code spot} or {@code on-demand}).
 *   <li>{@code /latest/meta-data/tags/instance}: the tag keys, one a line, and {@code
 *       tags/instance/<key>} each value, once instance metadata tags are on ({@link
 *       #instanceTags}); 404 while they are off, as on EC2 by default.
 * </ul>
 *
 * Binds to 127.0.0.1 only. The local fleet runs one per worker process and points the worker at it
 * with {@code AWS_EC2_METADATA_SERVICE_ENDPOINT}; tests use it as the documented fake. Thread-safe.
 */
public final class LocalImdsServer implements AutoCloseable {
  /**
   * The instance the endpoint describes, in the metadata service's own words.
   *
   * @param lifeCycle the value of {@code instance-life-cycle}: {@code spot} or {@code on-demand}
   */
  public record Instance(
      String instanceId, String instanceType, String region, String zone, String lifeCycle) {}

  static final String TOKEN_TTL_HEADER = "X-aws-ec2-metadata-token-ttl-seconds";
  static final String TOKEN_HEADER = "X-aws-ec2-metadata-token";

  private final HttpServer server;
  private final ExecutorService executor;
  private final Clock clock;
  private final Instance facts;
  private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final AtomicInteger tokenRequests = new AtomicInteger();
  private volatile Instant spotActionTime;
  private volatile String spotAction = "terminate";
  private volatile Instant rebalanceTime;
  private volatile String lifecycleState = "InService";
  private volatile Map<String, String> tags;

  private LocalImdsServer(
      HttpServer server, ExecutorService executor, Clock clock, Instance facts) {
    this.server = server;
    this.executor = executor;
    this.clock = clock;
    this.facts = facts;
  }

  /** Starts on 127.0.0.1 and a free port. */
  public static LocalImdsServer start(Instance facts, Clock clock) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      AtomicInteger n = new AtomicInteger();
      ExecutorService executor =
          Executors.newFixedThreadPool(
              2,
              r -> {
                Thread t = new Thread(r, "imds-" + facts.instanceId() + "-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
      server.setExecutor(executor);
      LocalImdsServer imds = new LocalImdsServer(server, executor, clock, facts);
      server.createContext("/", imds::handle);
      server.start();
      return imds;
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot start the local metadata endpoint: " + e.getMessage(), e);
    }
  }

  /**
   * Base URL, e.g. {@code http://127.0.0.1:41234} (the value of AWS_EC2_METADATA_SERVICE_ENDPOINT).
   */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public Instance instance() {
    return facts;
  }

  /** Announces a spot interruption: the instance is taken back at {@code time}. */
  public void announceSpotInterruption(Instant time) {
    spotAction = "terminate";
    spotActionTime = time.truncatedTo(ChronoUnit.SECONDS);
  }

  /** Announces a rebalance recommendation (elevated interruption risk), noticed now. */
  public void announceRebalanceRecommendation() {
    rebalanceTime = clock.instant().truncatedTo(ChronoUnit.SECONDS);
  }

  /** The Auto Scaling group is terminating the instance (scale-in, rebalancing, health). */
  public void announceLifecycleTermination() {
    lifecycleState = "Terminated";
  }

  /**
   * Turns instance metadata tags on with these tags (as a launch template's {@code
   * InstanceMetadataTags=enabled} does), e.g. {@code aws:autoscaling:groupName}, which Auto Scaling
   * puts on every instance it launches.
   */
  public void instanceTags(Map<String, String> instanceTags) {
    tags = Collections.unmodifiableMap(new LinkedHashMap<>(instanceTags));
  }

  /** How many tokens were requested (tests check that clients reuse and refresh tokens). */
  public int tokenRequests() {
    return tokenRequests.get();
  }

  /** Expires every token now (tests check the client's refresh on 401). */
  public void expireTokens() {
    tokens.clear();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      drain(ex.getRequestBody());
      String path = ex.getRequestURI().getPath();
      String method = ex.getRequestMethod();
      if (path.equals("/latest/api/token")) {
        if (!method.equals("PUT")) {
          send(ex, 405, "");
          return;
        }
        token(ex);
        return;
      }
      if (!method.equals("GET") && !method.equals("HEAD")) {
        send(ex, 405, "");
        return;
      }
      String token = ex.getRequestHeaders().getFirst(TOKEN_HEADER);
      Instant expiry = token == null ? null : tokens.get(token);
      if (expiry == null || !clock.instant().isBefore(expiry)) {
        send(ex, 401, "");
        return;
      }
      String body = metadata(path);
      if (body == null) {
        send(ex, 404, notFoundPage());
      } else {
        send(ex, 200, body);
      }
    }
  }

  private void token(HttpExchange ex) throws IOException {
    if (ex.getRequestHeaders().containsKey("X-Forwarded-For")) {
      send(ex, 403, "");
      return;
    }
    String ttlText = ex.getRequestHeaders().getFirst(TOKEN_TTL_HEADER);
    int ttl;
    try {
      ttl = Integer.parseInt(ttlText == null ? "" : ttlText.trim());
    } catch (NumberFormatException e) {
      send(ex, 400, "");
      return;
    }
    if (ttl < 1 || ttl > 21600) {
      send(ex, 400, "");
      return;
    }
    byte[] raw = new byte[24];
    random.nextBytes(raw);
    String token = HexFormat.of().formatHex(raw);
    tokens.put(token, clock.instant().plusSeconds(ttl));
    tokenRequests.incrementAndGet();
    ex.getResponseHeaders().add(TOKEN_TTL_HEADER, Integer.toString(ttl));
    send(ex, 200, token);
  }

  private String metadata(String path) {
    String tagsPrefix = "/latest/meta-data/tags/instance";
    if (path.startsWith(tagsPrefix)) {
      Map<String, String> t = tags;
      if (t == null) {
        return null;
      }
      String rest = path.substring(tagsPrefix.length());
      if (!rest.isEmpty() && !rest.startsWith("/")) {
        return null;
      }
      return rest.isEmpty() || rest.equals("/")
          ? String.join("\n", t.keySet())
          : t.get(rest.substring(1));
    }
    switch (path) {
      case "/latest/meta-data/instance-id":
        return facts.instanceId();
      case "/latest/meta-data/instance-type":
        return facts.instanceType();
      case "/latest/meta-data/placement/availability-zone":
        return facts.zone();
      case "/latest/meta-data/placement/region":
        return facts.region();
      case "/latest/meta-data/instance-life-cycle":
        return facts.lifeCycle();
      case "/latest/meta-data/spot/instance-action":
        Instant t = spotActionTime;
        return t == null ? null : "{\"action\": \"" + spotAction + "\", \"time\": \"" + t + "\"}";
      case "/latest/meta-data/events/recommendations/rebalance":
        Instant r = rebalanceTime;
        return r == null ? null : "{\"noticeTime\": \"" + r + "\"}";
      case "/latest/meta-data/autoscaling/target-lifecycle-state":
        return lifecycleState;
      default:
        return null;
    }
  }

  private static String notFoundPage() {
    return "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>\n"
        + "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\"\n"
        + "\t\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n"
        + "<html xmlns=\"http://www.w3.org/1999/xhtml\" xml:lang=\"en\" lang=\"en\">\n"
        + " <head>\n  <title>404 - Not Found</title>\n </head>\n <body>\n  <h1>404 - Not Found</h1>\n"
        + " </body>\n</html>\n";
  }

  private static void drain(InputStream in) throws IOException {
    in.readAllBytes();
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", status == 404 ? "text/html" : "text/plain");
    ex.getResponseHeaders().set("Server", "EC2ws");
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      ex.getResponseBody().write(bytes);
    }
  }
}
