package dev.spotbatch.worker.notice.azure;

import dev.spotbatch.worker.notice.http.MetadataException;
import dev.spotbatch.worker.notice.http.MetadataHttp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Objects;

/** An Azure IMDS client: every request carries {@code Metadata: true}. Thread-safe. */
public final class AzureMetadataClient {
  static final String METADATA = "Metadata";

  private final URI base;
  private final MetadataHttp http;

  public AzureMetadataClient(URI base, MetadataHttp http) {
    this.base = Objects.requireNonNull(base, "base");
    this.http = Objects.requireNonNull(http, "http");
  }

  /** {@code GET <pathAndQuery>}: the body on 200, else throws. */
  public String get(String pathAndQuery) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(MetadataHttp.request(base, pathAndQuery).header(METADATA, "true").GET().build());
    if (response.statusCode() != 200) {
      throw new MetadataException(
          "Azure IMDS GET " + pathAndQuery + " answered " + response.statusCode(),
          response.statusCode());
    }
    return response.body();
  }

  /** {@code POST <pathAndQuery>} with a JSON body; 200 expected, else throws. */
  public void post(String pathAndQuery, String json) throws IOException, InterruptedException {
    HttpRequest request =
        MetadataHttp.request(base, pathAndQuery)
            .header(METADATA, "true")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build();
    HttpResponse<String> response = http.send(request);
    if (response.statusCode() != 200) {
      throw new MetadataException(
          "Azure IMDS POST " + pathAndQuery + " answered " + response.statusCode(),
          response.statusCode());
    }
  }
}
