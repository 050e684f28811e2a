package dev.spotbatch.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-process HTTP server that answers like the dispatcher's API: each route ({@code "GET
 * /api/v1/jobs/j1"}) answers from a script of responses, the last repeating; an unknown route
 * answers 404 problem+json as Spring does. Records every request.
 */
final class ApiStub implements AutoCloseable {
  record Answer(int status, String contentType, String body) {}

  record Request(String method, String uri, String authorization, String body) {}

  private final HttpServer server;
  private final Map<String, Deque<Answer>> routes = new ConcurrentHashMap<>();
  final List<Request> requests = new CopyOnWriteArrayList<>();

  ApiStub() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /**
   * Answers {@code route} ("METHOD /path", query ignored) with these, in order; the last repeats.
   */
  ApiStub on(String route, Answer... answers) {
    routes.put(route, new ArrayDeque<>(List.of(answers)));
    return this;
  }

  static Answer json(int status, String body) {
    return new Answer(status, "application/json", body);
  }

  static Answer problem(int status, String title, String detail) {
    return new Answer(
        status,
        "application/problem+json",
        "{\"type\":\"https://spotbatch.dev/problems/x\",\"title\":\""
            + title
            + "\",\"status\":"
            + status
            + ",\"detail\":\""
            + detail
            + "\"}");
  }

  Request last() {
    return requests.get(requests.size() - 1);
  }

  List<String> uris() {
    List<String> out = new ArrayList<>();
    requests.forEach(r -> out.add(r.method() + " " + r.uri()));
    return out;
  }

  private void handle(HttpExchange x) throws IOException {
    String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    requests.add(
        new Request(
            x.getRequestMethod(),
            x.getRequestURI().toString(),
            x.getRequestHeaders().getFirst("Authorization"),
            body));
    Deque<Answer> script = routes.get(x.getRequestMethod() + " " + x.getRequestURI().getPath());
    Answer a;
    if (script == null) {
      a =
          new Answer(
              404,
              "application/problem+json",
              "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,"
                  + "\"detail\":\"No static resource "
                  + x.getRequestURI().getPath().substring(1)
                  + ".\"}");
    } else {
      synchronized (script) {
        a = script.size() > 1 ? script.removeFirst() : script.peekFirst();
      }
    }
    byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().add("Content-Type", a.contentType());
    x.sendResponseHeaders(a.status(), bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      x.getResponseBody().write(bytes);
    }
    x.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
