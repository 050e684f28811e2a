package dev.spotbatch.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 10 point 8: many clients submit jobs at once. Each of {@code clients} threads submits its
 * share of {@code jobs} small jobs (one inline record each, a unique name), retrying after a {@code
 * 429} as its {@code Retry-After} says, as a well-behaved client does; any other status is a
 * refusal, counted by status. Every answer's latency is kept. Then every accepted job is read back
 * by its id, so a job the API accepted and lost, or stored twice, shows.
 */
public final class SubmitLoad {
  private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]+)\"");

  private final String api;
  private final String token;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  /** What happened: statuses of the final answers, latencies of every answer, accepted ids. */
  public record Result(
      int jobs,
      int clients,
      Map<Integer, Integer> finalStatuses,
      int throttled,
      List<Long> latenciesMicros,
      List<Long> acceptedLatenciesMicros,
      Map<String, String> acceptedIdsByName,
      Duration wall) {

    public int accepted() {
      return acceptedIdsByName.size();
    }
  }

  /**
   * @param api the API's base, e.g. {@code http://127.0.0.1:8080/api/v1}
   * @param token a bearer token with the {@code jobs} role
   */
  public SubmitLoad(String api, String token) {
    this.api = api;
    this.token = token;
  }

  /** Submits {@code jobs} jobs from {@code clients} threads writing under {@code outputPrefix}. */
  public Result run(int jobs, int clients, String outputPrefix) throws InterruptedException {
    Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
    AtomicInteger throttled = new AtomicInteger();
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    List<Long> acceptedLatencies = Collections.synchronizedList(new ArrayList<>());
    Map<String, String> accepted = new ConcurrentHashMap<>();
    AtomicInteger next = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(clients);
    long start = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      Thread t =
          new Thread(
              () -> {
                try {
                  for (int i = next.getAndIncrement(); i < jobs; i = next.getAndIncrement()) {
                    submitOne(
                        i,
                        outputPrefix,
                        statuses,
                        throttled,
                        latencies,
                        acceptedLatencies,
                        accepted);
                  }
                } finally {
                  done.countDown();
                }
              },
              "load-client-" + c);
      t.setDaemon(true);
      t.start();
    }
    done.await();
    return new Result(
        jobs,
        clients,
        new TreeMap<>(statuses),
        throttled.get(),
        List.copyOf(latencies),
        List.copyOf(acceptedLatencies),
        Map.copyOf(accepted),
        Duration.ofNanos(System.nanoTime() - start));
  }

  private void submitOne(
      int i,
      String outputPrefix,
      Map<Integer, Integer> statuses,
      AtomicInteger throttled,
      List<Long> latencies,
      List<Long> acceptedLatencies,
      Map<String, String> accepted) {
    String name = "load-" + i;
    String body =
        "{\"name\":\""
            + name
            + "\",\"model\":\"all-minilm-l6-v2\",\"records\":[{\"id\":\"r"
            + i
            + "\",\"text\":\"load test record "
            + i
            + "\"}],\"output\":{\"uri\":\""
            + outputPrefix
            + name
            + "/\"}}";
    long firstTry = System.nanoTime();
    for (int attempt = 0; attempt < 1_000; attempt++) {
      long t0 = System.nanoTime();
      HttpResponse<String> r;
      try {
        r =
            http.send(
                HttpRequest.newBuilder(URI.create(api + "/jobs"))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
      } catch (Exception e) {
        statuses.merge(-1, 1, Integer::sum); // no answer at all
        return;
      }
      latencies.add((System.nanoTime() - t0) / 1_000);
      if (r.statusCode() == 429 || r.statusCode() == 503) { // throttled, or the planner is full
        throttled.incrementAndGet();
        long wait = r.headers().firstValueAsLong("Retry-After").orElse(1);
        sleep(Duration.ofSeconds(wait));
        continue;
      }
      statuses.merge(r.statusCode(), 1, Integer::sum);
      if (r.statusCode() == 201) {
        acceptedLatencies.add((System.nanoTime() - firstTry) / 1_000);
        Matcher m = ID.matcher(r.body());
        if (m.find() && accepted.putIfAbsent(name, m.group(1)) != null) {
          statuses.merge(-2, 1, Integer::sum); // the same name accepted twice: a duplicate
        }
      }
      return;
    }
  }

  /**
   * Reads every accepted job back by its id; returns the names whose job is missing or carries
   * another name (empty when none is lost or mixed up).
   */
  public List<String> missing(Result result) throws Exception {
    List<String> bad = new ArrayList<>();
    for (Map.Entry<String, String> e : result.acceptedIdsByName().entrySet()) {
      HttpResponse<String> r;
      do { // reads count against the same rate limit
        r =
            http.send(
                HttpRequest.newBuilder(URI.create(api + "/jobs/" + e.getValue()))
                    .header("Authorization", "Bearer " + token)
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 429) {
          sleep(Duration.ofSeconds(r.headers().firstValueAsLong("Retry-After").orElse(1)));
        }
      } while (r.statusCode() == 429);
      Matcher m = NAME.matcher(r.body());
      if (r.statusCode() != 200 || !m.find() || !m.group(1).equals(e.getKey())) {
        bad.add(e.getKey() + " (" + r.statusCode() + ")");
      }
    }
    return bad;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The {@code q} quantile (0..1) of {@code values}, nearest rank; 0 for none. */
  public static long quantile(List<Long> values, double q) {
    if (values.isEmpty()) {
      return 0;
    }
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(q * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }
}
