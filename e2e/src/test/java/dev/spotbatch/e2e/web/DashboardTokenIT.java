package dev.spotbatch.e2e.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

/**
 * The dashboard's token handling in a real browser, against a server that demands a bearer token
 * the way the dispatcher will once authentication lands: the dashboard's own files (from the
 * dispatcher's jar, as Spring serves them) are public, every API call needs {@code Authorization:
 * Bearer}, and a missing or wrong token is a 401 problem. The dispatcher itself still answers
 * without a token, so this stands in for it here; {@link DashboardIT} covers the open API.
 */
class DashboardTokenIT {
  private static final String TOKEN = "s3cret-token";
  private static final Duration PAGE = Duration.ofSeconds(30);
  private static final String JOBS =
      "{\"jobs\":[{\"id\":\"j-locked\",\"name\":\"behind a token\",\"status\":\"SUCCEEDED\","
          + "\"model\":\"all-minilm-l6-v2\",\"createdAt\":\"2026-12-01T10:00:00Z\","
          + "\"startedAt\":\"2026-12-01T10:00:01Z\",\"finishedAt\":\"2026-12-01T10:01:00Z\","
          + "\"items\":{\"total\":2,\"pending\":0,\"running\":0,\"succeeded\":2,\"failed\":0},"
          + "\"records\":{\"succeeded\":10,\"failed\":0},\"output\":{\"uri\":\"file:///d/out/\","
          + "\"manifest\":\"file:///d/out/_SUCCESS\"},\"cost\":{\"usd\":0.0123,"
          + "\"onDemandUsd\":0.041,\"savingsPct\":70.0},\"reason\":null}]}";
  private static final String API_DOCS =
      "{\"openapi\":\"3.1.0\",\"paths\":{\"/api/v1/jobs\":{\"get\":{},\"post\":{}}},"
          + "\"components\":{\"schemas\":{\"JobRequest\":{\"properties\":{\"model\":{}}}}}}";

  static HttpServer server;
  static String base;
  static Chromium browser;
  static final List<String> apiAuthorizations = new CopyOnWriteArrayList<>();
  static final List<String> apiPaths = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws IOException {
    browser = Chromium.start(Path.of("target", "screenshots"));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", DashboardTokenIT::handle);
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterAll
  static void stop() {
    try {
      if (browser != null) {
        browser.close();
      }
    } finally {
      if (server != null) {
        server.stop(0);
      }
    }
  }

  @BeforeEach
  void forgetTheTabsToken() {
    browser.open(base + "/dashboard/icon.svg");
    browser.script("sessionStorage.clear()");
    apiAuthorizations.clear();
    apiPaths.clear();
    browser.console();
  }

  @Test
  void aTokenInTheFragmentIsSentAsBearerAndLeavesTheAddressBar() {
    browser.open(base + "/#token=" + TOKEN);
    browser.await(PAGE, "the jobs behind the token", d -> browser.first("tr[data-job='j-locked']"));

    assertThat((String) browser.script("return location.href"))
        .doesNotContain(TOKEN)
        .endsWith("/#/jobs");
    assertThat(browser.script("return sessionStorage.getItem('spotbatch.apiToken')"))
        .isEqualTo(TOKEN);
    assertThat(apiAuthorizations).isNotEmpty().allMatch(("Bearer " + TOKEN)::equals);
    assertThat(browser.first("#token-dialog").getDomAttribute("open")).isNull();
    assertThat(browser.console().errors()).isEmpty();

    // a reload keeps it (this tab's session storage), with nothing in the address bar
    browser.driver.navigate().refresh();
    browser.await(PAGE, "the jobs after a reload", d -> browser.first("tr[data-job='j-locked']"));
    assertThat(apiAuthorizations).allMatch(("Bearer " + TOKEN)::equals);
    // and a route in the fragment survives the token's removal
    browser.open(base + "/#/savings?token=" + TOKEN);
    browser.await(
        PAGE,
        "the savings page",
        d -> browser.text("#savings-stats").contains("$0.0123") ? true : null);
    assertThat((String) browser.script("return location.hash")).isEqualTo("#/savings");
  }

  @Test
  void withoutATokenA401AsksForOneAndUsesTheAnswer() {
    browser.open(base + "/#/jobs");
    WebElement dialog =
        browser.await(PAGE, "the token prompt", d -> browser.first("#token-dialog[open]"));
    assertThat(dialog.getText()).contains("An API token is needed", "api-token");
    assertThat(browser.script("return document.activeElement.id")).isEqualTo("token-input");
    assertThat(apiAuthorizations).contains("");

    // a wrong token is refused, and the prompt says so
    browser.first("#token-input").sendKeys("wrong");
    browser.first("#token-form button[type='submit']").click();
    browser.await(
        PAGE,
        "the prompt again, saying the token was refused",
        d -> browser.text("#token-error").contains("refused") ? true : null);
    assertThat(browser.first("#token-dialog[open]")).isNotNull();
    browser.screenshot("token-prompt");

    browser.first("#token-input").sendKeys(TOKEN);
    browser.first("#token-form button[type='submit']").click();
    browser.await(
        PAGE, "the jobs once the token is given", d -> browser.first("tr[data-job='j-locked']"));
    assertThat(browser.first("#token-dialog").getDomAttribute("open")).isNull();
    assertThat(apiAuthorizations.get(apiAuthorizations.size() - 1)).isEqualTo("Bearer " + TOKEN);
    // only the refused calls were errors (and the console is read: they are there)
    assertThat(browser.console().errors()).isNotEmpty().allMatch(e -> e.contains("401"));
  }

  @Test
  void pollsEveryTwoSecondsAndPausesWhileTheTabIsHidden() throws InterruptedException {
    browser.open(base + "/#token=" + TOKEN);
    browser.await(PAGE, "the jobs", d -> browser.first("tr[data-job='j-locked']"));
    int start = jobListCalls();
    Thread.sleep(4_500);
    assertThat(jobListCalls() - start).as("list calls in 4.5 s").isBetween(2, 3);

    // what a browser does when the tab goes to the background (headless tabs stay visible)
    setHidden(true);
    browser.await(PAGE, "paused", d -> browser.text("#live").contains("Paused") ? true : null);
    int paused = jobListCalls();
    Thread.sleep(5_000);
    assertThat(jobListCalls()).as("no calls while hidden").isLessThanOrEqualTo(paused + 1);

    int beforeShown = jobListCalls();
    setHidden(false);
    browser.await(
        Duration.ofSeconds(2),
        "a refresh at once",
        d -> jobListCalls() > beforeShown ? true : null);
    browser.await(PAGE, "live again", d -> browser.text("#live").startsWith("Live") ? true : null);
  }

  private static int jobListCalls() {
    return (int) apiPaths.stream().filter(p -> p.equals("/api/v1/jobs")).count();
  }

  private static void setHidden(boolean hidden) {
    browser.script(
        "Object.defineProperty(document, 'hidden', {value: arguments[0], configurable: true});"
            + "Object.defineProperty(document, 'visibilityState',"
            + " {value: arguments[0] ? 'hidden' : 'visible', configurable: true});"
            + "document.dispatchEvent(new Event('visibilitychange'));",
        hidden);
  }

  // ---- the server: the dashboard's files from the classpath, an API that needs the token

  private static void handle(HttpExchange x) throws IOException {
    try (x) {
      String path = x.getRequestURI().getPath();
      if (path.startsWith("/api/") || path.startsWith("/v3/")) {
        String auth = x.getRequestHeaders().getFirst("Authorization");
        apiAuthorizations.add(auth == null ? "" : auth);
        apiPaths.add(path);
        if (!("Bearer " + TOKEN).equals(auth)) {
          x.getResponseHeaders().add("WWW-Authenticate", "Bearer");
          send(
              x,
              401,
              "application/problem+json",
              "{\"type\":\"https://spotbatch.dev/problems/unauthorized\",\"title\":\"Unauthorized\","
                  + "\"status\":401,\"detail\":\"a valid bearer token is required\"}");
        } else if (path.equals("/v3/api-docs")) {
          send(x, 200, "application/json", API_DOCS);
        } else if (path.equals("/api/v1/jobs")) {
          send(x, 200, "application/json", JOBS);
        } else {
          send(x, 404, "application/problem+json", "{\"title\":\"Not Found\",\"status\":404}");
        }
        return;
      }
      String resource =
          path.equals("/")
              ? "static/index.html"
              : path.startsWith("/webjars/") ? "META-INF/resources" + path : "static" + path;
      try (InputStream in =
          resource.contains("..")
              ? null
              : DashboardTokenIT.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          send(x, 404, "text/plain", "not found: " + path);
          return;
        }
        byte[] body = in.readAllBytes();
        x.getResponseHeaders().add("Content-Type", contentType(resource));
        x.sendResponseHeaders(200, body.length);
        x.getResponseBody().write(body);
      }
    }
  }

  private static String contentType(String resource) {
    if (resource.endsWith(".html")) {
      return "text/html;charset=UTF-8";
    } else if (resource.endsWith(".js")) {
      return "text/javascript;charset=UTF-8";
    } else if (resource.endsWith(".css")) {
      return "text/css;charset=UTF-8";
    } else if (resource.endsWith(".svg")) {
      return "image/svg+xml";
    }
    return "application/octet-stream";
  }

  private static void send(HttpExchange x, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().add("Content-Type", type);
    x.sendResponseHeaders(status, bytes.length);
    x.getResponseBody().write(bytes);
  }
}
