package dev.spotbatch.testing;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An in-process S3Proxy server (S3 protocol, in-memory blobs, AWS V2/V4 signatures) on a free
 * loopback port, with a ready path-style {@link S3Client}. Close it to stop both.
 */
public final class S3ProxyServer implements AutoCloseable {
  public static final String ACCESS_KEY = "test-access";
  public static final String SECRET_KEY = "test-secret";
  public static final Region REGION = Region.US_EAST_1;

  private final S3Proxy proxy;
  private final URI endpoint;
  private final S3Client client;

  private S3ProxyServer(S3Proxy proxy) {
    this.proxy = proxy;
    this.endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    this.client =
        S3Client.builder()
            .endpointOverride(endpoint)
            .region(REGION)
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
            .build();
  }

  /** Starts a server with an in-memory blob store and waits until it serves requests. */
  public static S3ProxyServer start() {
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(new TransientNio2BlobStore())
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .build();
    try {
      proxy.start();
      Instant until = Instant.now().plus(Duration.ofSeconds(30));
      while (!"STARTED".equals(proxy.getState())) {
        if (Instant.now().isAfter(until)) {
          throw new IllegalStateException("S3Proxy did not start within 30 s: " + proxy.getState());
        }
        Thread.sleep(10);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting S3Proxy", e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot start S3Proxy: " + e.getMessage(), e);
    }
    return new S3ProxyServer(proxy);
  }

  public URI endpoint() {
    return endpoint;
  }

  /** A path-style client for this server; closed with the server. */
  public S3Client client() {
    return client;
  }

  /** Creates a bucket (and returns its name). */
  public String createBucket(String name) {
    client.createBucket(b -> b.bucket(name));
    return name;
  }

  @Override
  public void close() {
    try {
      client.close();
    } finally {
      try {
        proxy.stop();
      } catch (Exception e) {
        throw new IllegalStateException("cannot stop S3Proxy: " + e.getMessage(), e);
      }
    }
  }
}
