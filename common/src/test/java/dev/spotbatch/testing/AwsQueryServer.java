package dev.spotbatch.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An in-process server that speaks the AWS Query protocol as AWS documents it: a signed POST with a
 * form-encoded body ({@code Action=...&Version=...}), answered with {@code <ActionResponse
 * xmlns=...>} XML, or an {@code <ErrorResponse>} with {@code <Type>}, {@code <Code>} and {@code
 * <Message>}. Tests script the answer per action (once, or from then on) and read back every
 * request's parameters. The SDK client under test is the production one with only its endpoint
 * overridden.
 */
public final class AwsQueryServer implements AutoCloseable {
  /** The Auto Scaling namespace and version. */
  public static final String AUTO_SCALING_NS = "http://autoscaling.amazonaws.com/doc/2011-01-01/";

  public static final String AUTO_SCALING_VERSION = "2011-01-01";

  /** One answer: an HTTP status and an XML body. */
  public record Answer(int status, String body) {}

  /** One request as received: its form parameters, in order. */
  public record Request(Map<String, String> params, String authorization) {
    public String action() {
      return params.get("Action");
    }

    public String param(String name) {
      return params.get(name);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final String namespace;
  private final String version;
  private final Map<String, Deque<Answer>> once = new HashMap<>();
  private final Map<String, Answer> always = new HashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  private AwsQueryServer(
      HttpServer server, ExecutorService executor, String namespace, String version) {
    this.server = server;
    this.executor = executor;
    this.namespace = namespace;
    this.version = version;
  }

  /** A server for the Auto Scaling API (2011-01-01). */
  public static AwsQueryServer autoScaling() throws IOException {
    return start(AUTO_SCALING_NS, AUTO_SCALING_VERSION);
  }

  public static AwsQueryServer start(String namespace, String version) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    ExecutorService executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "aws-query-server");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    AwsQueryServer fake = new AwsQueryServer(server, executor, namespace, version);
    server.createContext("/", fake::handle);
    server.start();
    return fake;
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Answers {@code action} with {@code answer} from now on (after any queued one-off answers). */
  public synchronized AwsQueryServer always(String action, Answer answer) {
    always.put(action, answer);
    return this;
  }

  /**
   * Answers the next {@code action} with {@code answer} (queued behind earlier one-off answers).
   */
  public synchronized AwsQueryServer once(String action, Answer answer) {
    once.computeIfAbsent(action, a -> new ArrayDeque<>()).addLast(answer);
    return this;
  }

  /** Every request so far, in order. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** The requests of one action, in order. */
  public List<Request> requests(String action) {
    return requests.stream().filter(r -> action.equals(r.action())).toList();
  }

  public void clearRequests() {
    requests.clear();
  }

  /** {@code <ActionResponse xmlns=...>} with {@code result} inside {@code <ActionResult>}. */
  public Answer ok(String action, String result) {
    String inner =
        result == null ? "" : "  <" + action + "Result>" + result + "</" + action + "Result>\n";
    return new Answer(
        200,
        "<"
            + action
            + "Response xmlns=\""
            + namespace
            + "\">\n"
            + inner
            + "  <ResponseMetadata>\n    <RequestId>"
            + UUID.randomUUID()
            + "</RequestId>\n  </ResponseMetadata>\n</"
            + action
            + "Response>\n");
  }

  /** An answer with no result element, as for {@code SetDesiredCapacity}. */
  public Answer ok(String action) {
    return ok(action, null);
  }

  /** {@code <ErrorResponse>} as the Query protocol sends it. */
  public Answer error(int status, String type, String code, String message) {
    return new Answer(
        status,
        "<ErrorResponse xmlns=\""
            + namespace
            + "\">\n  <Error>\n    <Type>"
            + type
            + "</Type>\n    <Code>"
            + code
            + "</Code>\n    <Message>"
            + message
            + "</Message>\n  </Error>\n  <RequestId>"
            + UUID.randomUUID()
            + "</RequestId>\n</ErrorResponse>\n");
  }

  /** A raw answer, for bodies copied verbatim from AWS's documentation. */
  public static Answer raw(int status, String body) {
    return new Answer(status, body);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Map<String, String> params = parse(body);
      String type = exchange.getRequestHeaders().getFirst("Content-Type");
      Request request =
          new Request(
              Collections.unmodifiableMap(params),
              exchange.getRequestHeaders().getFirst("Authorization"));
      requests.add(request);
      Answer answer;
      if (!"POST".equals(exchange.getRequestMethod())
          || type == null
          || !type.startsWith("application/x-www-form-urlencoded")) {
        answer = error(400, "Sender", "InvalidAction", "expected a form-encoded POST");
      } else if (!version.equals(params.get("Version"))) {
        answer = error(400, "Sender", "InvalidParameterValue", "Version must be " + version);
      } else if (request.authorization() == null
          || !request.authorization().startsWith("AWS4-HMAC-SHA256")) {
        answer = error(403, "Sender", "MissingAuthenticationToken", "request is not signed");
      } else {
        answer = answerFor(params.get("Action"));
      }
      byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/xml");
      exchange.getResponseHeaders().add("x-amzn-RequestId", UUID.randomUUID().toString());
      exchange.sendResponseHeaders(answer.status(), out.length);
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(out);
      }
    }
  }

  private synchronized Answer answerFor(String action) {
    Deque<Answer> queued = once.get(action);
    if (queued != null && !queued.isEmpty()) {
      return queued.removeFirst();
    }
    Answer a = always.get(action);
    return a != null
        ? a
        : error(400, "Sender", "InvalidAction", "no answer scripted for " + action);
  }

  private static Map<String, String> parse(String body) {
    Map<String, String> params = new LinkedHashMap<>();
    if (body.isEmpty()) {
      return params;
    }
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      params.put(
          URLDecoder.decode(k, StandardCharsets.UTF_8),
          URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return params;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
