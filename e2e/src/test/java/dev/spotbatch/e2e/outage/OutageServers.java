package dev.spotbatch.e2e.outage;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The object store and the database of the outage test, each on a fixed port and on disk, so that
 * each can be stopped and started again with its data: S3Proxy over a directory, and zonky's
 * PostgreSQL over a data directory it initialises once.
 */
final class OutageServers implements AutoCloseable {
  static final String S3_KEY = "outage-access";
  static final String S3_SECRET = "outage-secret";

  private final Path s3Dir;
  private final int s3Port;
  private final Path pgDir;
  private final int pgPort;
  private final S3Client client;
  private S3Proxy s3;
  private EmbeddedPostgres pg;

  private OutageServers(Path root) throws IOException {
    this.s3Dir = Files.createDirectories(root.resolve("s3"));
    this.pgDir = root.resolve("pg");
    this.s3Port = freePort();
    this.pgPort = freePort();
    this.client =
        S3Client.builder()
            .endpointOverride(s3Endpoint())
            .region(Region.US_EAST_1)
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create(S3_KEY, S3_SECRET)))
            .build();
  }

  static OutageServers start(Path root) throws Exception {
    OutageServers s = new OutageServers(root);
    s.startS3();
    s.startPostgres();
    return s;
  }

  URI s3Endpoint() {
    return URI.create("http://127.0.0.1:" + s3Port);
  }

  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres";
  }

  /** A client of the store for the test's own reads and writes. */
  S3Client s3() {
    return client;
  }

  String read(String bucket, String key) {
    return client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asString(StandardCharsets.UTF_8);
  }

  void startS3() throws Exception {
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(new FilesystemNio2BlobStore(s3Dir.toString()))
            .endpoint(s3Endpoint())
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, S3_KEY, S3_SECRET)
            .build();
    proxy.start();
    Instant until = Instant.now().plus(Duration.ofSeconds(30));
    while (!"STARTED".equals(proxy.getState())) {
      if (Instant.now().isAfter(until)) {
        throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
      }
      Thread.sleep(10);
    }
    s3 = proxy;
  }

  void stopS3() throws Exception {
    s3.stop();
  }

  void startPostgres() throws IOException {
    pg =
        EmbeddedPostgres.builder()
            .setPort(pgPort)
            .setDataDirectory(pgDir)
            .setCleanDataDirectory(false)
            .setRegisterShutdownHook(true)
            .start();
  }

  void stopPostgres() throws IOException {
    pg.close();
  }

  @Override
  public void close() throws Exception {
    client.close();
    try {
      if (s3 != null) {
        s3.stop();
      }
    } finally {
      if (pg != null) {
        pg.close();
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
