package dev.spotbatch.worker.notice.azure;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Azure IMDS as Microsoft documents it: every request needs {@code Metadata: true} (else 400) and
 * no {@code X-Forwarded-For}; {@code /metadata/scheduledevents} answers the event document and
 * records the acknowledgement POSTs; {@code /metadata/instance/compute/name?format=text} the VM
 * name; {@code /metadata/instance/compute} the compute JSON.
 */
public final class FakeAzureImdsServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;
  private final String vmName;
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final List<String> posts = new CopyOnWriteArrayList<>();
  private volatile int incarnation = 1;

  private FakeAzureImdsServer(HttpServer server, ExecutorService executor, String vmName) {
    this.server = server;
    this.executor = executor;
    this.vmName = vmName;
  }

  public static FakeAzureImdsServer start(String vmName) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    ExecutorService executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "fake-azure");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    FakeAzureImdsServer fake = new FakeAzureImdsServer(server, executor, vmName);
    server.createContext("/", fake::handle);
    server.start();
    return fake;
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Schedules an event, e.g. {@code ("Preempt", "vm-1", "Mon, 19 Sep 2016 18:29:47 GMT")}. */
  public String schedule(String eventId, String type, String resource, String notBefore) {
    events.add(
        "{\"EventId\":\""
            + eventId
            + "\",\"EventType\":\""
            + type
            + "\",\"ResourceType\":\"VirtualMachine\","
            + "\"Resources\":[\""
            + resource
            + "\"],\"EventStatus\":\"Scheduled\",\"NotBefore\":\""
            + notBefore
            + "\","
            + "\"Description\":\"Virtual machine is being preempted.\",\"EventSource\":\"Platform\",\"DurationInSeconds\":-1}");
    incarnation++;
    return eventId;
  }

  /** The bodies of the acknowledgement POSTs received. */
  public List<String> acknowledgements() {
    return posts;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      if (!"true".equals(ex.getRequestHeaders().getFirst("Metadata"))
          || ex.getRequestHeaders().containsKey("X-Forwarded-For")) {
        send(ex, 400, "{\"error\":\"Bad request. Required metadata header not specified\"}");
        return;
      }
      String path = ex.getRequestURI().getPath();
      String query = ex.getRequestURI().getRawQuery();
      if (query == null || !query.contains("api-version=")) {
        send(ex, 400, "{\"error\":\"Bad request. api-version was not specified in the request\"}");
        return;
      }
      switch (path) {
        case "/metadata/scheduledevents":
          if (ex.getRequestMethod().equals("POST")) {
            posts.add(body);
            send(ex, 200, "");
          } else {
            send(
                ex,
                200,
                "{\"DocumentIncarnation\":"
                    + incarnation
                    + ",\"Events\":["
                    + String.join(",", new ArrayList<>(events))
                    + "]}");
          }
          return;
        case "/metadata/instance/compute/name":
          send(ex, 200, vmName);
          return;
        case "/metadata/instance/compute":
          send(
              ex,
              200,
              "{\"location\":\"eastus\",\"name\":\""
                  + vmName
                  + "\",\"priority\":\"Spot\","
                  + "\"vmId\":\"02aab8a4-74ef-476e-8182-f6d2ba4166a6\",\"vmSize\":\"Standard_D4s_v5\",\"zone\":\"2\"}");
          return;
        case "/metadata/instance":
          send(ex, 200, "{\"compute\":{\"name\":\"" + vmName + "\"}}");
          return;
        default:
          send(ex, 404, "{\"error\":\"Not found\"}");
      }
    }
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      ex.getResponseBody().write(bytes);
    }
  }
}
