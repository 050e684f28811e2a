package dev.spotbatch.deploycheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** docker/compose.yaml, its Prometheus, Grafana and ElasticMQ files: a stack that can start. */
class ComposeCheckTest {
  static final Path DOCKER = Repo.path("docker");
  static Map<String, Object> compose;
  static Map<String, Map<String, Object>> services;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void parse() {
    compose = yaml(DOCKER.resolve("compose.yaml"));
    services = (Map<String, Map<String, Object>>) compose.get("services");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> yaml(Path file) {
    // SafeConstructor: plain maps and lists, YAML merge keys (<<) resolved
    return (Map<String, Object>)
        new Yaml(new SafeConstructor(new LoaderOptions())).load(Repo.read(file));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object o) {
    return o instanceof List<?> l ? (List<Object>) l : List.of();
  }

  @Test
  void theStackHasEveryPartAndKafkaAsAnAlternative() {
    assertThat(services.keySet())
        .contains(
            "elasticmq",
            "minio",
            "postgres",
            "prometheus",
            "grafana",
            "dispatcher",
            "worker-1",
            "worker-2",
            "kafka");
    assertThat(list(services.get("kafka").get("profiles"))).containsExactly("kafka");
    assertThat(map(services.get("dispatcher").get("environment")).get("SPOTBATCH_QUEUE_TYPE"))
        .isEqualTo("${SPOTBATCH_QUEUE_TYPE:-sqs}");
  }

  @Test
  void everyImageIsPinnedAndEveryBuildHasItsDockerfile() {
    SoftAssertions soft = new SoftAssertions();
    services.forEach(
        (name, s) -> {
          Object image = s.get("image");
          soft.assertThat(image).as(name + " image").isNotNull();
          soft.assertThat(String.valueOf(image))
              .as(name + " image")
              .matches(DockerfileCheckTest.PINNED);
          Map<String, Object> build = map(s.get("build"));
          if (!build.isEmpty()) {
            Path context = DOCKER.resolve(String.valueOf(build.get("context"))).normalize();
            soft.assertThat(context.resolve(String.valueOf(build.get("dockerfile"))))
                .as(name + " dockerfile")
                .exists();
          }
        });
    soft.assertAll();
  }

  @Test
  void everyMountedFileExists() {
    SoftAssertions soft = new SoftAssertions();
    services.forEach(
        (name, s) ->
            list(s.get("volumes"))
                .forEach(
                    v -> {
                      String host = String.valueOf(v).split(":")[0];
                      if (host.startsWith(".")) {
                        soft.assertThat(DOCKER.resolve(host).normalize())
                            .as(name + " mounts " + host)
                            .exists();
                      }
                    }));
    soft.assertAll();
  }

  @Test
  void workersGetTimeToDrainWhenDockerStopsThem() {
    for (String w : List.of("worker-1", "worker-2")) {
      Map<String, Object> s = services.get(w);
      Duration stop =
          Duration.parse("PT" + String.valueOf(s.get("stop_grace_period")).toUpperCase());
      Duration grace =
          Duration.parse(
              "PT"
                  + String.valueOf(map(s.get("environment")).get("SPOTBATCH_WORKER_SHUTDOWNGRACE"))
                      .toUpperCase());
      assertThat(stop)
          .as(w + ": docker stop waits longer than the worker's drain")
          .isGreaterThan(grace);
      assertThat(map(s.get("environment")))
          .containsKeys(
              "SPRING_CLOUD_AWS_SQS_ENDPOINT",
              "SPRING_CLOUD_AWS_S3_ENDPOINT",
              "SPOTBATCH_WORKER_ALLOWEDROOTS");
      assertThat(map(map(s.get("depends_on")).get("dispatcher")).get("condition"))
          .isEqualTo("service_healthy");
    }
  }

  @Test
  void prometheusScrapesTheAppsAndLoadsTheRulesAndGrafanaTheDashboard() {
    Map<String, Object> prom = yaml(DOCKER.resolve("prometheus/prometheus.yml"));
    List<Object> jobs = list(prom.get("scrape_configs"));
    assertThat(jobs)
        .extracting(j -> map(j).get("job_name"))
        .contains("spotbatch-dispatcher", "spotbatch-worker");
    for (Object j : jobs) {
      assertThat(map(j).get("metrics_path")).isEqualTo("/actuator/prometheus");
      for (Object sc : list(map(j).get("static_configs"))) {
        for (Object target : list(map(sc).get("targets"))) {
          assertThat(services)
              .as("scrape target " + target)
              .containsKey(String.valueOf(target).split(":")[0]);
        }
      }
    }
    assertThat(list(prom.get("rule_files"))).contains("/etc/prometheus/rules/*.yml");
    assertThat(list(services.get("prometheus").get("volumes")))
        .contains("../deploy/monitoring/prometheus:/etc/prometheus/rules:ro");
    assertThat(list(services.get("grafana").get("volumes")))
        .contains("../deploy/monitoring/grafana:/var/lib/grafana/dashboards:ro");
    Map<String, Object> provider =
        map(
            list(yaml(DOCKER.resolve("grafana/provisioning/dashboards/spotbatch.yaml"))
                    .get("providers"))
                .get(0));
    assertThat(map(provider.get("options")).get("path")).isEqualTo("/var/lib/grafana/dashboards");
  }

  @Test
  void theDispatcherHasAnApiKeyAndPrometheusScrapesWithIt() {
    Map<String, Object> env = map(services.get("dispatcher").get("environment"));
    assertThat(String.valueOf(env.get("SPOTBATCH_SECURITY_KEYS_0_HASH"))).matches("[0-9a-f]{64}");
    assertThat(String.valueOf(env.get("SPOTBATCH_SECURITY_KEYS_0_ROLES"))).contains("fleet");
    Map<String, Object> prom = yaml(DOCKER.resolve("prometheus/prometheus.yml"));
    Object dispatcherJob =
        list(prom.get("scrape_configs")).stream()
            .filter(j -> "spotbatch-dispatcher".equals(map(j).get("job_name")))
            .findFirst()
            .orElseThrow();
    assertThat(map(map(dispatcherJob).get("authorization")).get("type")).isEqualTo("Bearer");
  }

  @Test
  void elasticMqHasTheQueuesWithDeadLettersAboveMaxAttempts() {
    String conf = Repo.read(DOCKER.resolve("elasticmq/elasticmq.conf"));
    for (String q : List.of("spotbatch-work", "spotbatch-events")) {
      Matcher m =
          Pattern.compile(
                  q
                      + " \\{[^}]*deadLettersQueue \\{\\s*name = \""
                      + q
                      + "-dlq\"\\s*maxReceiveCount = (\\d+)")
              .matcher(conf);
      assertThat(m.find()).as(q + " redrives to " + q + "-dlq").isTrue();
      assertThat(Integer.parseInt(m.group(1)))
          .as("above the default maxAttempts (3)")
          .isGreaterThan(3);
    }
  }
}
