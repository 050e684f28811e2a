package dev.spotbatch.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Submits a job through the dispatcher's REST API and measures the seconds until it is RUNNING
 * (planned, every item on the queue), polling the job every {@code poll}.
 */
final class JobRunTimer {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpClient http;
  private final String api;
  private final String token;
  private final Duration poll;

  /**
   * @param api the API root, {@code http://host:port/api/v1}
   * @param token the bearer key
   */
  JobRunTimer(HttpClient http, String api, String token, Duration poll) {
    this.http = http;
    this.api = api;
    this.token = token;
    this.poll = poll;
  }

  /** Seconds from the REST submit until the job is RUNNING (every item on the queue). */
  double submitAndAwaitRunning(Path input, Path dataDir, String run, long itemBytes)
      throws Exception {
    String body =
        "{\"name\":\"bench-"
            + run
            + "\",\"model\":\"all-minilm-l6-v2\",\"input\":{\"uri\":\""
            + input.toUri()
            + "\"},\"output\":{\"uri\":\""
            + dataDir.resolve("out/" + run + "/").toUri()
            + "\"},\"itemBytes\":"
            + itemBytes
            + "}";
    long t0 = System.nanoTime();
    HttpResponse<String> created =
        http.send(
            HttpRequest.newBuilder(URI.create(api + "/jobs"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (created.statusCode() != 201) {
      throw new IllegalStateException("submit failed: " + created.body());
    }
    String id = JSON.readTree(created.body()).get("id").asString();
    while (true) {
      JsonNode job =
          JSON.readTree(
              http.send(
                      HttpRequest.newBuilder(URI.create(api + "/jobs/" + id))
                          .header("Authorization", "Bearer " + token)
                          .GET()
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body());
      String status = job.get("status").asString();
      if (status.equals("RUNNING")) {
        return (System.nanoTime() - t0) / 1e9;
      }
      if (!status.equals("PENDING")) {
        throw new IllegalStateException("job ended " + status + ": " + job);
      }
      Thread.sleep(poll.toMillis());
    }
  }
}
