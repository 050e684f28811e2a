package dev.spotbatch.testing;

import java.net.URI;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * An in-process ElasticMQ server (SQS protocol) on a free loopback port, with a ready {@link
 * SqsAsyncClient}. Start one per test class; close it to stop the server and the client.
 */
public final class ElasticMqServer implements AutoCloseable {
  /** Region the client uses. */
  public static final Region REGION = Region.US_EAST_1;

  private final SQSRestServer server;
  private final URI endpoint;
  private final SqsAsyncClient client;

  private ElasticMqServer(SQSRestServer server, int port) {
    this.server = server;
    this.endpoint = URI.create("http://127.0.0.1:" + port);
    this.client =
        SqsAsyncClient.builder()
            .endpointOverride(endpoint)
            .region(REGION)
            .httpClientBuilder(SharedEventLoop.httpClient())
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .build();
  }

  /** Starts a server and waits until it accepts connections. */
  public static ElasticMqServer start() {
    SQSRestServer server = SQSRestServerBuilder.withPort(0).withInterface("127.0.0.1").start();
    int port = server.waitUntilStarted().localAddress().getPort();
    return new ElasticMqServer(server, port);
  }

  /** The HTTP endpoint, e.g. for {@code spring.cloud.aws.sqs.endpoint}. */
  public URI endpoint() {
    return endpoint;
  }

  /** A client for this server (static dummy credentials, us-east-1); closed with the server. */
  public SqsAsyncClient client() {
    return client;
  }

  @Override
  public void close() {
    try {
      client.close();
    } finally {
      server.stopAndWait();
    }
  }
}
