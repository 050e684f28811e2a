package dev.spotbatch.dispatcher.fleet.local;

import dev.spotbatch.codec.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads a worker's health; best effort (empty when the worker does not answer in time). */
@FunctionalInterface
public interface HealthProbe {
  CompletableFuture<Optional<WorkerHealth>> probe(int managementPort);

  /**
   * {@code GET http://127.0.0.1:<port>/actuator/health} with a short timeout, sending the workers'
   * management token (without it a worker shows only its status, not its leases).
   */
  static HealthProbe http(Duration timeout, String managementToken) {
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    JsonMapper json = Json.mapper();
    return port -> {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
              .timeout(timeout)
              .header("Authorization", "Bearer " + managementToken)
              .GET()
              .build();
      return client
          .sendAsync(request, HttpResponse.BodyHandlers.ofString())
          .thenApply(r -> parse(json, r.body()))
          .exceptionally(e -> Optional.empty());
    };
  }

  /** Parses an Actuator health document; empty when it is not one. */
  static Optional<WorkerHealth> parse(JsonMapper json, String body) {
    try {
      JsonNode root = json.readTree(body);
      if (root == null || !root.has("status")) {
        return Optional.empty();
      }
      JsonNode details = root.path("components").path("worker").path("details");
      Integer active =
          details.path("activeLeases").isNumber() ? details.get("activeLeases").asInt() : null;
      List<Object> leases = null;
      if (details.path("leases").isArray()) {
        leases = new ArrayList<>();
        for (JsonNode lease : details.get("leases")) {
          leases.add(json.convertValue(lease, Object.class));
        }
      }
      Boolean draining =
          details.path("draining").isBoolean() ? details.get("draining").asBoolean() : null;
      return Optional.of(new WorkerHealth(root.get("status").asString(), active, leases, draining));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** For tests and fleets without workers that answer. */
  static HealthProbe none() {
    return port -> CompletableFuture.completedFuture(Optional.empty());
  }
}
