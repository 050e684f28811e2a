package dev.spotbatch.local;

import dev.spotbatch.dispatcher.config.EmbeddedQueueServer;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The in-process ElasticMQ server of the local profile (SQS protocol on 127.0.0.1). */
public final class EmbeddedSqsServer implements EmbeddedQueueServer, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedSqsServer.class);

  private final SQSRestServer server;
  private final int port;

  private EmbeddedSqsServer(SQSRestServer server, int port) {
    this.server = server;
    this.port = port;
  }

  /** Starts the server on {@code port} (0 = any free port) and waits until it accepts calls. */
  public static EmbeddedSqsServer start(int port) {
    SQSRestServer server = SQSRestServerBuilder.withPort(port).withInterface("127.0.0.1").start();
    int actual = server.waitUntilStarted().localAddress().getPort();
    log.info("embedded SQS (ElasticMQ) listening on http://127.0.0.1:{}", actual);
    return new EmbeddedSqsServer(server, actual);
  }

  public int port() {
    return port;
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** The SQS endpoint. */
  @Override
  public String address() {
    return endpoint();
  }

  @Override
  public void close() {
    try {
      server.stopAndWait();
    } catch (RuntimeException e) {
      log.warn("stopping embedded SQS failed", e);
    }
  }
}
