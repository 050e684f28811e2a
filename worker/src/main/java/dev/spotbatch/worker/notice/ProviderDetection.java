package dev.spotbatch.worker.notice;

import dev.spotbatch.worker.notice.aws.ImdsClient;
import dev.spotbatch.worker.notice.http.MetadataHttp;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds out which cloud this worker runs on by asking each metadata service, in parallel and with a
 * short timeout, a question only it answers: AWS the IMDSv2 token {@code PUT}, GCP a {@code GET}
 * that must come back with {@code Metadata-Flavor: Google}, Azure {@code GET /metadata/instance}
 * with {@code Metadata: true}. AWS and Azure share 169.254.169.254, but each rejects the other's
 * question. If several answer, AWS wins over GCP over Azure; if none, {@link Provider#NONE}.
 */
public final class ProviderDetection {
  private static final Logger log = LoggerFactory.getLogger(ProviderDetection.class);

  /** The longest a probe may take. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(300);

  private final MetadataEndpoints endpoints;
  private final HttpClient client;
  private final Duration timeout;

  public ProviderDetection(MetadataEndpoints endpoints, Duration timeout) {
    this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.client = new MetadataHttp(timeout).client();
  }

  /** {@code configured} itself unless it is {@link Provider#AUTO}; then probes. */
  public Provider resolve(Provider configured) {
    return configured == Provider.AUTO ? detect() : configured;
  }

  /** Probes the three services in parallel; returns within about the timeout. */
  public Provider detect() {
    CompletableFuture<Boolean> aws =
        probe(
            ImdsClient.tokenRequest(endpoints.aws(), Duration.ofSeconds(60), timeout),
            r -> r.statusCode() == 200);
    CompletableFuture<Boolean> gcp =
        probe(
            MetadataHttp.request(endpoints.gcp(), "/computeMetadata/v1/", timeout)
                .header("Metadata-Flavor", "Google")
                .GET()
                .build(),
            r ->
                r.statusCode() == 200
                    && "Google".equals(r.headers().firstValue("Metadata-Flavor").orElse(null)));
    CompletableFuture<Boolean> azure =
        probe(
            MetadataHttp.request(
                    endpoints.azure(), "/metadata/instance?api-version=2021-02-01", timeout)
                .header("Metadata", "true")
                .GET()
                .build(),
            r -> r.statusCode() == 200);
    Provider found =
        aws.join()
            ? Provider.AWS
            : gcp.join() ? Provider.GCP : azure.join() ? Provider.AZURE : Provider.NONE;
    log.info(
        "metadata service detected: {} (probed {}, {}, {})",
        found,
        endpoints.aws(),
        endpoints.gcp(),
        endpoints.azure());
    return found;
  }

  private CompletableFuture<Boolean> probe(
      HttpRequest request, java.util.function.Predicate<HttpResponse<String>> ok) {
    return client
        .sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .thenApply(ok::test)
        // the request timeout does not always cover name resolution: bound the whole probe
        .completeOnTimeout(false, timeout.toMillis() + 50, TimeUnit.MILLISECONDS)
        .exceptionally(e -> false);
  }
}
