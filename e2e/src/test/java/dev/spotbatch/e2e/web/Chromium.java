package dev.spotbatch.e2e.web;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through its chromium-driver, with a fresh profile, the network
 * quiet (no component updates, sync or QUIC probes on a closed network), the browser's console log
 * readable, and full-page screenshots. When Chromium or its driver is missing the tests fail with a
 * message that says how to install them: they never skip.
 */
final class Chromium implements AutoCloseable {
  static final String INSTALL =
      "The dashboard's browser tests need Chromium and its driver. On Debian or Ubuntu: "
          + "apt-get install -y chromium chromium-driver (.ci/run does this when they are"
          + " missing). Elsewhere point -Dspotbatch.chromium=<browser> and"
          + " -Dspotbatch.chromedriver=<driver> (or CHROME_BIN and CHROMEDRIVER) at a Chrome or"
          + " Chromium and the chromedriver of the same version. These tests never skip.";
  private static final List<String> BROWSERS =
      List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");
  private static final List<String> DRIVERS =
      List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
  private static final int WIDTH = 1280;
  private static final int HEIGHT = 1000;
  private static final int MAX_SCREENSHOT_HEIGHT = 2400;

  final ChromeDriver driver;
  private final Path profile;
  private final Path screenshots;

  private Chromium(ChromeDriver driver, Path profile, Path screenshots) {
    this.driver = driver;
    this.profile = profile;
    this.screenshots = screenshots;
  }

  /** Starts the browser; fails (never skips) when Chromium or chromium-driver is missing. */
  static Chromium start(Path screenshots) {
    Path browser = find("spotbatch.chromium", "CHROME_BIN", BROWSERS, "chromium");
    Path driverExe = find("spotbatch.chromedriver", "CHROMEDRIVER", DRIVERS, "chromedriver");
    Path profile;
    try {
      profile = Files.createTempDirectory("spotbatch-chromium-");
      Files.createDirectories(screenshots);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(browser.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--user-data-dir=" + profile,
        "--window-size=" + WIDTH + "," + HEIGHT,
        "--lang=en-GB");
    // the browser's console (errors, failed loads, CSP violations) through the log endpoint
    options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
    // the driver's path is given, so Selenium Manager never runs (it would try the network)
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(driverExe.toFile())
            .usingAnyFreePort()
            .build();
    ChromeDriver driver;
    try {
      driver = new ChromeDriver(service, options);
    } catch (RuntimeException e) {
      throw new AssertionError(
          "Chromium ("
              + browser
              + ") did not start through "
              + driverExe
              + ": "
              + e.getMessage()
              + "\n"
              + INSTALL,
          e);
    }
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    return new Chromium(driver, profile, screenshots);
  }

  private static Path find(String property, String env, List<String> candidates, String what) {
    String configured = System.getProperty(property);
    if (configured == null || configured.isBlank()) {
      configured = System.getenv(env);
    }
    if (configured != null && !configured.isBlank()) {
      Path p = Path.of(configured);
      if (Files.isExecutable(p)) {
        return p;
      }
      fail(what + " is not at " + p + " (from " + property + " or " + env + "). " + INSTALL);
    }
    for (String c : candidates) {
      if (Files.isExecutable(Path.of(c))) {
        return Path.of(c);
      }
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        Path p = Path.of(dir, what);
        if (Files.isExecutable(p)) {
          return p;
        }
      }
    }
    return fail(what + " is not installed. " + INSTALL);
  }

  /** Loads a URL as a fresh page (through about:blank, so a hash change is a real load too). */
  void open(String url) {
    driver.get("about:blank");
    driver.get(url);
  }

  <T> T await(Duration timeout, String what, Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, timeout)
        .pollingEvery(Duration.ofMillis(200))
        // a poll may re-render the element between finding it and reading it: look again
        .ignoring(StaleElementReferenceException.class)
        .withMessage(() -> what + "; page text:\n" + pageText())
        .until(condition);
  }

  /** The first element the selector finds, or null. */
  WebElement first(String css) {
    List<WebElement> found = driver.findElements(By.cssSelector(css));
    return found.isEmpty() ? null : found.get(0);
  }

  /** Every element the selector finds, in document order. */
  List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  /** The text of the first element the selector finds, or "" (for waits). */
  String text(String css) {
    WebElement e = first(css);
    return e == null ? "" : e.getText();
  }

  Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  String pageText() {
    try {
      WebElement body = first("body");
      return body == null ? "" : body.getText();
    } catch (RuntimeException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  /** The console entries since the last call: every level, and errors (SEVERE) apart. */
  ConsoleLog console() {
    List<String> all = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (LogEntry e : driver.manage().logs().get(LogType.BROWSER).getAll()) {
      String line = e.getLevel() + " " + e.getMessage();
      all.add(line);
      if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
        errors.add(line);
      }
    }
    return new ConsoleLog(all, errors);
  }

  /** What the console said. */
  record ConsoleLog(List<String> all, List<String> errors) {}

  /** Saves the whole page (up to a limit) as target/screenshots/{name}.png. */
  Path screenshot(String name) {
    Path file = screenshots.resolve(name + ".png");
    long height = ((Number) script("return document.documentElement.scrollHeight")).longValue();
    // DevTools' own capture, beyond the viewport: a full page without resizing the window
    Map<String, Object> shot =
        driver.executeCdpCommand(
            "Page.captureScreenshot",
            Map.of(
                "format",
                "png",
                "captureBeyondViewport",
                true,
                "clip",
                Map.of(
                    "x",
                    0,
                    "y",
                    0,
                    "width",
                    WIDTH,
                    "height",
                    Math.min(MAX_SCREENSHOT_HEIGHT, height),
                    "scale",
                    1)));
    try {
      Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(Chromium::delete);
      } catch (IOException | UncheckedIOException e) {
        // a leftover temporary profile is harmless
      }
    }
  }

  private static void delete(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // see close()
    }
  }
}
