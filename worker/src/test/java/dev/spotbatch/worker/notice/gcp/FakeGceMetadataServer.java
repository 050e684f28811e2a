package dev.spotbatch.worker.notice.gcp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A GCE metadata server as Google documents it: requests need {@code Metadata-Flavor: Google} (else
 * 403), answers carry {@code Metadata-Flavor: Google} and an {@code ETag}; {@code
 * ?wait_for_change=true} hangs until the value changes, returns at once if {@code last_etag}
 * differs from the current ETag, and returns the unchanged value after {@code timeout_sec}.
 */
public final class FakeGceMetadataServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;
  private final Map<String, String> values = new ConcurrentHashMap<>();
  private final List<String> queries = new CopyOnWriteArrayList<>();
  private volatile boolean sendFlavor = true;

  private FakeGceMetadataServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  public static FakeGceMetadataServer start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    ExecutorService executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "fake-gce");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    FakeGceMetadataServer fake = new FakeGceMetadataServer(server, executor);
    fake.values.put("instance/preempted", "FALSE");
    fake.values.put("instance/id", "4520031799277581759");
    fake.values.put("instance/machine-type", "projects/123456789/machineTypes/n2-standard-4");
    fake.values.put("instance/zone", "projects/123456789/zones/us-central1-a");
    fake.values.put("instance/scheduling/preemptible", "TRUE");
    server.createContext("/", fake::handle);
    server.start();
    return fake;
  }

  /** The value of {@code GCE_METADATA_HOST}: {@code 127.0.0.1:<port>}. */
  public String host() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  public URI endpoint() {
    return URI.create("http://" + host());
  }

  /** Sets a value (e.g. {@code instance/preempted} to {@code TRUE}) and wakes hanging GETs. */
  public void set(String path, String value) {
    synchronized (this) {
      values.put(path, value);
      notifyAll();
    }
  }

  /** Answer without the {@code Metadata-Flavor} header (not a metadata server). */
  public void withoutFlavorHeader() {
    sendFlavor = false;
  }

  /** The query strings received, in order. */
  public List<String> queries() {
    return queries;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  static String etag(String value) {
    return String.format("%016x", (long) value.hashCode() * 0x9E3779B97F4A7C15L);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      ex.getRequestBody().readAllBytes();
      String rawQuery = ex.getRequestURI().getRawQuery();
      queries.add(rawQuery == null ? "" : rawQuery);
      if (!"Google".equals(ex.getRequestHeaders().getFirst("Metadata-Flavor"))
          || ex.getRequestHeaders().containsKey("X-Forwarded-For")) {
        send(ex, 403, "Missing required header \"Metadata-Flavor\": \"Google\"\n", null);
        return;
      }
      String path = ex.getRequestURI().getPath();
      if (!path.startsWith("/computeMetadata/v1/")) {
        send(ex, 404, "Not Found\n", null);
        return;
      }
      String key = path.substring("/computeMetadata/v1/".length());
      if (key.isEmpty()) {
        send(ex, 200, "instance/\nproject/\n", null);
        return;
      }
      Map<String, String> query = query(rawQuery);
      String value = values.get(key);
      if (value == null) {
        send(ex, 404, "Not Found\n", null);
        return;
      }
      if ("true".equals(query.get("wait_for_change"))) {
        long timeoutMs = Long.parseLong(query.getOrDefault("timeout_sec", "3600")) * 1000;
        String lastEtag = query.get("last_etag");
        long until = System.currentTimeMillis() + timeoutMs;
        synchronized (this) {
          String start = values.get(key);
          if (lastEtag == null || lastEtag.equals(etag(start))) {
            while (values.get(key).equals(start) && System.currentTimeMillis() < until) {
              try {
                wait(Math.max(1, until - System.currentTimeMillis()));
              } catch (InterruptedException e) {
                return;
              }
            }
          }
          value = values.get(key);
        }
      }
      send(ex, 200, value, etag(value));
    }
  }

  private void send(HttpExchange ex, int status, String body, String etag) throws IOException {
    if (sendFlavor) {
      ex.getResponseHeaders().set("Metadata-Flavor", "Google");
    }
    ex.getResponseHeaders().set("Content-Type", "application/text");
    if (etag != null) {
      ex.getResponseHeaders().set("ETag", etag);
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      ex.getResponseBody().write(bytes);
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(k, v);
    }
    return out;
  }
}
