package dev.spotbatch.worker.notice;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * Where each provider's metadata service answers. Defaults are the real link-local addresses; the
 * providers' own environment conventions ({@code AWS_EC2_METADATA_SERVICE_ENDPOINT}, {@code
 * GCE_METADATA_HOST}) and explicit overrides (tests, the local fleet) win, overrides first.
 *
 * @param aws IMDS base URL, e.g. {@code http://169.254.169.254}
 * @param gcp GCE metadata base URL, e.g. {@code http://metadata.google.internal}
 * @param azure Azure IMDS base URL, e.g. {@code http://169.254.169.254}
 */
public record MetadataEndpoints(URI aws, URI gcp, URI azure) {
  public static final URI AWS_DEFAULT = URI.create("http://169.254.169.254");
  public static final URI GCP_DEFAULT = URI.create("http://metadata.google.internal");
  public static final URI AZURE_DEFAULT = URI.create("http://169.254.169.254");

  /** The AWS SDKs' variable for the IMDS endpoint. */
  public static final String AWS_ENV = "AWS_EC2_METADATA_SERVICE_ENDPOINT";

  /** The Google client libraries' variable for the metadata host (host or host:port). */
  public static final String GCP_ENV = "GCE_METADATA_HOST";

  /**
   * Our own variable for the Azure IMDS endpoint (Azure has no convention; for tests and fleets).
   */
  public static final String AZURE_ENV = "SPOTBATCH_AZURE_METADATA_ENDPOINT";

  public MetadataEndpoints {
    Objects.requireNonNull(aws, "aws");
    Objects.requireNonNull(gcp, "gcp");
    Objects.requireNonNull(azure, "azure");
  }

  /** The real endpoints. */
  public static MetadataEndpoints defaults() {
    return new MetadataEndpoints(AWS_DEFAULT, GCP_DEFAULT, AZURE_DEFAULT);
  }

  /**
   * Resolves each endpoint: override (if not blank), else the environment variable, else the
   * default.
   */
  public static MetadataEndpoints resolve(
      Map<String, String> env, String awsOverride, String gcpOverride, String azureOverride) {
    URI aws = url(first(awsOverride, env.get(AWS_ENV)), AWS_DEFAULT);
    URI gcp = url(first(gcpOverride, env.get(GCP_ENV)), GCP_DEFAULT);
    URI azure = url(first(azureOverride, env.get(AZURE_ENV)), AZURE_DEFAULT);
    return new MetadataEndpoints(aws, gcp, azure);
  }

  private static String first(String a, String b) {
    return a != null && !a.isBlank() ? a.trim() : b != null && !b.isBlank() ? b.trim() : null;
  }

  /** Accepts a URL or a bare {@code host[:port]} (as GCE_METADATA_HOST is written). */
  static URI url(String value, URI fallback) {
    if (value == null) {
      return fallback;
    }
    String v = value.contains("://") ? value : "http://" + value;
    while (v.endsWith("/")) {
      v = v.substring(0, v.length() - 1);
    }
    return URI.create(v);
  }
}
