package dev.spotbatch.e2e.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotbatch.dispatcher.DispatcherApplication;
import dev.spotbatch.e2e.Sentences;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dashboard in a real browser (headless Chromium) against the real dispatcher in this process
 * with a real local fleet: one worker process running the real model, so a job submitted through
 * the form really runs, and a worker interrupted from the fleet page really drains; and with the
 * embedded default's real token, so the page's token handling meets the real 401s. One dispatcher
 * and one browser serve every test (a worker JVM with the model is the expensive part); the order
 * below only saves waiting (each test waits for what it needs), it is not a dependency.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Duration PAGE = Duration.ofSeconds(30);
  private static final Duration JOB = Duration.ofMinutes(6);
  private static final Duration WORKER = Duration.ofMinutes(4);
  private static final int RECORDS = 120;
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");

  @TempDir static Path dataDir;
  static ConfigurableApplicationContext dispatcher;
  static Chromium browser;
  static String base;
  static String token;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void startBrowserAndDispatcher() throws IOException {
    // the browser first: without Chromium this fails in a second with how to install it
    browser = Chromium.start(SCREENSHOTS);
    String workerJar = System.getProperty("spotbatch.worker.jar");
    assertThat(Path.of(workerJar)).as("worker jar (built by the worker module)").exists();
    String classData = System.getProperty("spotbatch.worker.class-data-dir", "");
    dispatcher =
        new SpringApplicationBuilder(DispatcherApplication.class)
            .profiles("local")
            .run(
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--spotbatch.data-dir=" + dataDir,
                "--spotbatch.embedded.sqs.port=" + freePort(),
                "--spotbatch.fleet.local.workers=1",
                "--spotbatch.fleet.local.worker-jar=" + workerJar,
                "--spotbatch.fleet.local.class-data-dir="
                    + (classData.isBlank() ? dataDir.resolve("cds") : classData));
    base = "http://127.0.0.1:" + dispatcher.getEnvironment().getProperty("local.server.port");
    // the embedded default wrote its token there, owner-only, as run-local.sh and the client read
    // it
    token = Files.readString(dataDir.resolve("api-token")).strip();
  }

  /** The tab holds the token, as after opening the URL run-local.sh prints (tested on its own). */
  @BeforeEach
  void theTabHoldsTheToken() {
    // a page of the dashboard's origin that calls nothing (a bare file would make the browser ask
    // for /favicon.ico, which the dispatcher does not serve)
    browser.open(base + "/#/no-such-page");
    browser.await(PAGE, "the dashboard", d -> browser.text("main h1").equals("No such page"));
    browser.script("sessionStorage.setItem('spotbatch.apiToken', arguments[0])", token);
    browser.console();
  }

  @AfterAll
  static void stop() {
    try {
      if (browser != null) {
        browser.close();
      }
    } finally {
      if (dispatcher != null) {
        dispatcher.close();
      }
    }
  }

  @Test
  @Order(1)
  void everyPageLoadsWithoutConsoleErrors() throws Exception {
    String jobId = submitByApi("{\"name\":\"nothing\",\"records\":[]}", "out/nothing/");
    awaitApiStatus(jobId, "SUCCEEDED", PAGE);
    List<String> problems = new ArrayList<>();
    for (String[] page :
        List.of(
            new String[] {"jobs", "#/jobs"},
            new String[] {"job", "#/jobs/" + jobId},
            new String[] {"submit", "#/submit"},
            new String[] {"fleet", "#/fleet"},
            new String[] {"savings", "#/savings"})) {
      browser.console(); // drop what came before
      browser.open(base + "/" + page[1]);
      awaitLive(page[0]);
      // one more poll round, so the refresh path is checked too
      Thread.sleep(2_500);
      browser.screenshot("page-" + page[0]);
      Chromium.ConsoleLog log = browser.console();
      for (String e : log.errors()) {
        problems.add(page[1] + ": " + e);
      }
      assertThat(browser.first("main h1")).as(page[1] + " has a heading").isNotNull();
    }
    assertThat(problems).as("console errors").isEmpty();
  }

  @Test
  @Order(2)
  void theApisFieldErrorsAppearNextToTheFieldsTheyConcern() {
    browser.open(base + "/#/submit");
    browser.await(PAGE, "the submit form", d -> browser.first("#submit-form"));
    type("#f-name", "bad one");
    type("#f-model", "gpt-4");
    type("#f-tasks", "clean, translate");
    browser.first("#mode-records").click();
    type("#f-records", "A man is eating food.");
    type("#f-output-uri", "file:///etc/spotbatch-out/");
    browser.console();
    browser.first("#submit-job").click();

    WebElement modelError =
        browser.await(PAGE, "the model's error", d -> browser.first("#f-model-error"));
    assertThat(modelError.getText()).contains("unknown model 'gpt-4'", "all-minilm-l6-v2");
    // next to its field: inside the model's field, right after its input, and tied to it
    WebElement modelField = browser.first(".field[data-field='model']");
    assertThat(modelField.findElements(By.id("f-model-error"))).hasSize(1);
    assertThat(browser.script("return document.getElementById('f-model').nextElementSibling.id"))
        .isEqualTo("f-model-error");
    WebElement model = browser.first("#f-model");
    assertThat(model.getDomAttribute("aria-invalid")).isEqualTo("true");
    assertThat(model.getDomAttribute("aria-describedby")).contains("f-model-error");

    WebElement tasksError = browser.first("#f-tasks-error");
    assertThat(tasksError).as("the tasks' error").isNotNull();
    assertThat(tasksError.getText()).contains("translate");

    WebElement outputError = browser.first("#f-output-uri-error");
    assertThat(outputError).as("the output URI's error").isNotNull();
    assertThat(outputError.getText()).contains("/etc/spotbatch-out");
    assertThat(
            browser
                .first(".field[data-field='output.uri']")
                .findElements(By.id("f-output-uri-error")))
        .hasSize(1);
    // the summary lists both and has the focus, so a screen reader starts there
    WebElement summary = browser.first(".error-summary");
    assertThat(summary.getText()).contains("gpt-4", "/etc/spotbatch-out");
    assertThat(browser.script("return document.activeElement.classList.contains('error-summary')"))
        .isEqualTo(true);
    assertThat(browser.first("#f-input-uri-error")).as("no error on a field that is fine").isNull();
    assertThat(browser.script("return location.hash")).isEqualTo("#/submit");
    browser.screenshot("submit-errors");
    // the only console error is the refused request itself (which shows the console is read)
    assertThat(browser.console().errors()).isNotEmpty().allMatch(e -> e.contains("400"));
  }

  @Test
  @Order(3)
  void aJobSubmittedThroughTheFormFinishesAndShowsItsCost() throws Exception {
    Path input = dataDir.resolve("input/web.jsonl");
    Files.createDirectories(input.getParent());
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < RECORDS; i++) {
      lines.add("{\"id\":\"web-" + i + "\",\"text\":\"" + Sentences.sentence(i) + "\"}");
    }
    Files.write(input, lines, StandardCharsets.UTF_8);

    browser.open(base + "/#/submit");
    browser.await(PAGE, "the submit form", d -> browser.first("#submit-form"));
    type("#f-name", "from the form");
    type("#f-input-uri", input.toUri().toString());
    type("#f-input-idField", "id");
    type("#f-output-uri", dataDir.resolve("out/web/").toUri().toString());
    type("#f-itemBytes", "2048");
    type("#f-tasks", "embed");
    browser.first("#submit-job").click();

    String hash =
        browser.await(
            PAGE,
            "the job's page after submitting",
            d -> {
              Object h = browser.script("return location.hash");
              return h != null && h.toString().startsWith("#/jobs/") ? h.toString() : null;
            });
    String jobId = hash.substring("#/jobs/".length());
    assertThat(browser.text("#notice")).contains("submitted");
    browser.await(
        JOB,
        "job " + jobId + " SUCCEEDED",
        d -> browser.text("#job-status").equals("SUCCEEDED") ? true : null);

    JsonNode job = getJob(jobId);
    assertThat(job.get("status").asString()).isEqualTo("SUCCEEDED");
    // what the page shows is what the API says
    browser.await(
        PAGE,
        "the final counts",
        d ->
            browser.text("[data-fact='records-succeeded']").equals(String.valueOf(RECORDS))
                ? true
                : null);
    long total = job.at("/items/total").asLong();
    assertThat(total).isGreaterThan(1);
    assertThat(browser.text("[data-fact='items-total']")).isEqualTo(String.valueOf(total));
    assertThat(browser.text("[data-fact='items-succeeded']")).isEqualTo(String.valueOf(total));
    assertThat(browser.text("#job-progress")).contains(total + " / " + total + " items");
    assertThat(browser.text("[data-fact='manifest']"))
        .isEqualTo(job.at("/output/manifest").asString())
        .endsWith("_SUCCESS");
    assertThat(dollars(browser.text("tr[data-cost='usd'] td")))
        .isEqualByComparingTo(rounded(job.at("/cost/usd").asDouble()));
    assertThat(dollars(browser.text("tr[data-cost='on-demand'] td")))
        .isEqualByComparingTo(rounded(job.at("/cost/onDemandUsd").asDouble()));
    // the pricing label says how far to trust the dollars (the local fleet's are simulated)
    assertThat(browser.first("#job-cost [data-pricing]").getDomAttribute("data-pricing"))
        .isEqualTo(job.at("/cost/pricing").asString());
    assertThat(browser.first("#job-cancel").isEnabled()).isFalse();
    assertThat(browser.first("#job-retry").isEnabled()).isFalse();
    // the model and the task chain the form sent, as the job records them
    assertThat(browser.text("[data-fact='model']")).isEqualTo(job.get("model").asString());
    assertThat(browser.text("[data-fact='tasks']")).isEqualTo("embed");
    assertThat(job.get("tasks").toString()).isEqualTo("[\"embed\"]");
    browser.screenshot("job");

    // the list shows it finished, with its cost
    browser.open(base + "/#/jobs?status=succeeded");
    WebElement row =
        browser.await(PAGE, "the job's row", d -> browser.first("tr[data-job='" + jobId + "']"));
    assertThat(row.getText())
        .contains("from the form", "SUCCEEDED", total + " / " + total + " items");
    assertThat(dollars(row.findElement(By.cssSelector("td[data-col='cost']")).getText()))
        .isEqualByComparingTo(rounded(job.at("/cost/usd").asDouble()));
    assertThat(new Select(browser.first("#status-filter")).getFirstSelectedOption().getText())
        .isEqualTo("Succeeded");
    browser.screenshot("jobs");

    browser.open(base + "/#/savings");
    awaitLive("savings");
    assertThat(browser.text("#savings-jobs")).contains("from the form");
    // the fleet's cost report: the worker ran (priced as the instance type it simulates), so the
    // window's spend is not zero, and the report says the prices are simulated
    browser.await(
        PAGE,
        "a non-zero spend in the cost report",
        d -> {
          WebElement v = browser.first("#cost-total [data-cost='usd'] .value");
          return v != null && dollars(v.getText()).signum() > 0 ? true : null;
        });
    assertThat(dollars(browser.text("#cost-total [data-cost='monthly'] .value"))).isPositive();
    assertThat(browser.text("#cost-warnings")).contains("simulated");
    assertThat(browser.all("#cost-pools tbody tr")).isNotEmpty();
    browser.screenshot("savings");
  }

  @Test
  @Order(4)
  void aWorkerInterruptedFromTheFleetPageDrainsAndItsReportAppears() {
    browser.open(base + "/#/fleet");
    String card = "article[data-worker='local-1']";
    browser.await(
        WORKER,
        "local-1 running",
        d -> browser.text(card + " h3").contains("RUNNING") ? true : null);
    String instanceBefore = browser.text(card + " [data-fact='instance-id']");

    new Select(browser.first("#kind-local-1")).selectByValue("spot");
    type("#deadline-local-1", "30");
    browser.first("button[data-interrupt='local-1']").click();

    browser.await(
        PAGE,
        "the interrupt acknowledged",
        d -> browser.text("#notice").contains("Sent spot to local-1") ? true : null);
    assertThat(browser.text("#notice")).contains(instanceBefore, "deadline");
    // the worker drains and reports; its report appears on its card (the fleet replaces it after)
    browser.await(
        Duration.ofSeconds(60),
        "local-1's drain report",
        d -> browser.text(card + " .worker-drain h4").contains("drained") ? true : null);
    assertThat(browser.text(card + " [data-fact='drain-kind']")).isEqualTo("aws-spot-interruption");
    assertThat(browser.text(card + " [data-fact='drain-handed-back']")).matches("\\d+");
    assertThat(browser.text(card + " [data-fact='drain-abandoned']")).isEqualTo("0");
    assertThat(browser.text(card + " .worker-drain h4")).contains("before its deadline");
    assertThat(browser.text("#fleet-stats")).contains("spot 1");
    // the fleet replaces the interrupted process; the card keeps the drain and lists the old one
    browser.await(
        WORKER,
        "local-1 replaced and running",
        d ->
            browser.text(card + " h3").contains("RUNNING")
                    && !browser.text(card + " [data-fact='instance-id']").equals(instanceBefore)
                ? true
                : null);
    assertThat(browser.text(card + " .worker-drain h4")).contains("drained");
    browser.first(card + " .worker-history summary").click();
    assertThat(browser.text(card + " .worker-history")).contains(instanceBefore, "spot");
    browser.screenshot("fleet");
  }

  @Test
  @Order(5)
  void aTokenInTheFragmentIsUsedOnEveryCallAndLeavesTheAddressBar() {
    browser.script("sessionStorage.clear()");
    browser.open(base + "/#/savings?token=" + token);
    awaitLive("savings");
    assertThat((String) browser.script("return location.href")).doesNotContain(token);
    assertThat(browser.script("return location.hash")).isEqualTo("#/savings");
    assertThat(browser.script("return sessionStorage.getItem('spotbatch.apiToken')"))
        .isEqualTo(token);
    // a call without it would be a 401, and a 401 is a console error
    assertThat(browser.console().errors()).isEmpty();
    assertThat(browser.first("#token-dialog").getDomAttribute("open")).isNull();

    // the plain form run-local.sh prints
    browser.script("sessionStorage.clear()");
    browser.open(base + "/#token=" + token);
    awaitLive("jobs");
    assertThat(browser.script("return location.hash")).isEqualTo("#/jobs");
    assertThat(browser.console().errors()).isEmpty();
  }

  @Test
  @Order(6)
  void withoutATokenThe401AsksForOneAndUsesTheAnswer() {
    browser.script("sessionStorage.clear()");
    browser.open(base + "/#/jobs");
    WebElement dialog =
        browser.await(PAGE, "the token prompt", d -> browser.first("#token-dialog[open]"));
    // the dispatcher's own 401 says where the embedded default keeps its token
    assertThat(dialog.getText()).contains("An API token is needed", "api-token");
    assertThat(browser.text("#token-error")).contains(dataDir.resolve("api-token").toString());
    assertThat(browser.script("return document.activeElement.id")).isEqualTo("token-input");

    browser.first("#token-input").sendKeys("not-the-token");
    browser.first("#token-form button[type='submit']").click();
    browser.await(
        PAGE,
        "the prompt again, saying the token was refused",
        d -> browser.text("#token-error").contains("refused") ? true : null);
    assertThat(browser.first("#token-dialog[open]")).isNotNull();
    browser.screenshot("token-prompt");

    browser.first("#token-input").sendKeys(token);
    browser.first("#token-form button[type='submit']").click();
    awaitLive("jobs");
    assertThat(browser.first("#token-dialog").getDomAttribute("open")).isNull();
    // only the refused calls were errors (and they are there: the console is really read)
    assertThat(browser.console().errors()).isNotEmpty().allMatch(e -> e.contains("401"));
  }

  @Test
  @Order(7)
  void pollsEveryTwoSecondsAndPausesWhileTheTabIsHidden() throws InterruptedException {
    browser.open(base + "/#/jobs");
    awaitLive("jobs");
    long start = jobListCalls();
    Thread.sleep(4_500);
    assertThat(jobListCalls() - start).as("list calls in 4.5 s").isBetween(2L, 3L);

    // what a browser does when the tab goes to the background (headless tabs stay visible)
    setHidden(true);
    browser.await(PAGE, "paused", d -> browser.text("#live").contains("Paused") ? true : null);
    long paused = jobListCalls();
    Thread.sleep(5_000);
    assertThat(jobListCalls()).as("no calls while hidden").isLessThanOrEqualTo(paused + 1);

    long beforeShown = jobListCalls();
    setHidden(false);
    browser.await(
        Duration.ofSeconds(2),
        "a refresh at once",
        d -> jobListCalls() > beforeShown ? true : null);
    browser.await(PAGE, "live again", d -> browser.text("#live").startsWith("Live") ? true : null);
  }

  @Test
  @Order(8)
  void theFleetPageShowsThePoolsAndTheAutoscalersDecisions() {
    browser.open(base + "/#/fleet");
    awaitLive("fleet");
    // the local fleet's two pools, each with its desired and actual capacity and its price
    WebElement spot =
        browser.await(
            PAGE, "the local-spot pool", d -> browser.first("tr[data-pool='local-spot']"));
    assertThat(spot.getText()).contains("local-spot", "spot");
    assertThat(spot.findElement(By.cssSelector("td[data-col='desired']")).getText())
        .matches("\\d+");
    assertThat(spot.findElement(By.cssSelector("td[data-col='usd-per-hour']")).getText())
        .startsWith("$");
    assertThat(browser.first("tr[data-pool='local-on-demand']")).isNotNull();
    // a fixed fleet (no autoscaler here) has no decisions, and says so
    assertThat(browser.first("#decisions").getDomAttribute("hidden")).isNull();
    assertThat(browser.text("#decisions-list")).contains("No decisions");
    assertThat(browser.console().errors()).isEmpty();
    browser.screenshot("fleet-pools");
  }

  @Test
  @Order(9)
  void theCostCalculatorShowsItsErrorNextToTheFieldThenTheOptions() {
    browser.open(base + "/#/savings");
    awaitLive("savings");
    browser.await(PAGE, "the calculator", d -> browser.first("#estimate-form"));
    type("#est-records", "1000000");
    type("#est-rps", "100");
    type("#est-instance-type", "x9.huge");
    type("#est-region", "us-east-1");
    type("#est-workers", "2");
    browser.console();
    browser.first("#estimate-form button[type='submit']").click();

    WebElement error =
        browser.await(
            PAGE, "the instance type's error", d -> browser.first("#est-instance-type-error"));
    assertThat(error.getText()).contains("x9.huge");
    assertThat(
            browser.script(
                "return document.getElementById('est-instance-type').nextElementSibling.id"))
        .isEqualTo("est-instance-type-error");
    assertThat(browser.first("#est-instance-type").getDomAttribute("aria-invalid"))
        .isEqualTo("true");
    assertThat(browser.first("#est-records-error")).as("no error on a field that is fine").isNull();
    browser.screenshot("savings-estimate-error");
    assertThat(browser.console().errors()).isNotEmpty().allMatch(e -> e.contains("400"));

    type("#est-instance-type", "p5.48xlarge");
    browser.first("#estimate-form button[type='submit']").click();
    browser.await(
        Duration.ofSeconds(60),
        "the options",
        d -> browser.all("#estimate-options tbody tr").size() > 1 ? true : null);
    assertThat(browser.first("#est-instance-type-error")).as("the error is gone").isNull();
    assertThat(browser.text("#estimate-options")).contains("on-demand", "spot");
    assertThat(
            dollars(browser.text("#estimate-options tr[data-strategy='spot'] td[data-col='usd']")))
        .isPositive();
    assertThat(browser.text("#estimate-recommendation")).startsWith("Recommendation:");
    assertThat(browser.text("#estimate-options")).contains("recommended");
    browser.screenshot("savings-estimate");
  }

  // ---- helpers

  /** The job list calls this page made so far, from the browser's own resource timings. */
  private static long jobListCalls() {
    return ((Number)
            browser.script(
                "return performance.getEntriesByType('resource')"
                    + ".filter(e => e.name.includes('/api/v1/jobs?')).length"))
        .longValue();
  }

  private static void setHidden(boolean hidden) {
    browser.script(
        "Object.defineProperty(document, 'hidden', {value: arguments[0], configurable: true});"
            + "Object.defineProperty(document, 'visibilityState',"
            + " {value: arguments[0] ? 'hidden' : 'visible', configurable: true});"
            + "document.dispatchEvent(new Event('visibilitychange'));",
        hidden);
  }

  private static void type(String css, String text) {
    WebElement e = browser.first(css);
    assertThat(e).as(css).isNotNull();
    e.clear();
    e.sendKeys(text);
  }

  private static final Pattern DOLLARS = Pattern.compile("\\$(-?[0-9][0-9,]*(?:\\.[0-9]+)?)");

  /** "$0.0123" -> 0.0123. */
  private static BigDecimal dollars(String text) {
    Matcher m = DOLLARS.matcher(text);
    assertThat(m.find()).as("a dollar amount in '" + text + "'").isTrue();
    return new BigDecimal(m.group(1).replace(",", ""));
  }

  /** The API's amount as the page shows it: 2 digits from $1, 4 from 1 cent, else 6. */
  private static BigDecimal rounded(double usd) {
    double abs = Math.abs(usd);
    int digits = abs == 0 || abs >= 1 ? 2 : abs >= 0.01 ? 4 : 6;
    return BigDecimal.valueOf(usd).setScale(digits, java.math.RoundingMode.HALF_EVEN);
  }

  /** Waits for the page's first successful refresh (or, without polling, its form). */
  private static void awaitLive(String page) {
    browser.await(
        PAGE,
        page + " loaded",
        d -> {
          if (browser.first("#submit-form") != null) {
            return true;
          }
          WebElement live = browser.first("#live");
          return live != null && "live".equals(live.getDomAttribute("data-state")) ? true : null;
        });
  }

  private static String submitByApi(String partialJob, String out) throws Exception {
    String body =
        partialJob.substring(0, partialJob.length() - 1)
            + ",\"model\":\"all-minilm-l6-v2\",\"output\":{\"uri\":\""
            + dataDir.resolve(out).toUri()
            + "\"}}";
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/jobs"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return JSON.readTree(r.body()).get("id").asString();
  }

  private static JsonNode getJob(String id) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/jobs/" + id))
                .header("Authorization", "Bearer " + token)
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static void awaitApiStatus(String id, String status, Duration timeout) throws Exception {
    long end = System.nanoTime() + timeout.toNanos();
    JsonNode job = null;
    while (System.nanoTime() < end) {
      job = getJob(id);
      if (status.equals(job.get("status").asString())) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("job " + id + " not " + status + " within " + timeout + ": " + job);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
