package dev.spotbatch.dispatcher.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's files hang together inside the jar: everything index.html loads exists (its
 * modules, its stylesheet, Chart.js at the webjar's version), and every module a module imports
 * exists. A webjar upgrade that moves Chart.js fails here, in milliseconds, before the browser
 * tests (e2e) see a blank chart.
 */
class DashboardResourcesTest {
  private static final Pattern LOADED = Pattern.compile("(?:src|href)=\"(/[^\"#?]*)\"");
  private static final Pattern IMPORTED = Pattern.compile("from '\\./([^']+)'");

  @Test
  void everythingIndexHtmlLoadsIsInTheJar() throws IOException {
    String index = read("static/index.html");
    List<String> missing = new ArrayList<>();
    Matcher m = LOADED.matcher(index);
    int found = 0;
    while (m.find()) {
      found++;
      String path = m.group(1);
      String resource =
          path.startsWith("/webjars/") ? "META-INF/resources" + path : "static" + path;
      if (getClass().getClassLoader().getResource(resource) == null) {
        missing.add(path);
      }
    }
    assertThat(found).as("files index.html loads").isGreaterThanOrEqualTo(4);
    assertThat(index).contains("/webjars/chart.js/", "/dashboard/app.js");
    assertThat(missing).as("loaded by index.html but not in the jar").isEmpty();
  }

  @Test
  void everyModuleAModuleImportsExists() throws IOException, URISyntaxException {
    URL dir = getClass().getClassLoader().getResource("static/dashboard");
    assertThat(dir).isNotNull();
    List<String> missing = new ArrayList<>();
    List<Path> modules;
    try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
      modules = files.filter(p -> p.toString().endsWith(".js")).toList();
    }
    assertThat(modules).hasSizeGreaterThanOrEqualTo(5);
    for (Path module : modules) {
      Matcher m = IMPORTED.matcher(Files.readString(module));
      while (m.find()) {
        if (!Files.exists(module.resolveSibling(m.group(1)))) {
          missing.add(module.getFileName() + " imports ./" + m.group(1));
        }
      }
    }
    assertThat(missing).isEmpty();
  }

  private String read(String resource) throws IOException {
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
