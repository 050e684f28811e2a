package dev.spotbatch.local;

import dev.spotbatch.dispatcher.config.EmbeddedQueueServer;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-process ElasticMQ server of the local profile (SQS protocol on 127.0.0.1). It keeps
 * messages in memory: a restart (of the dispatcher, or {@link #restart()}) loses what was queued,
 * and the dispatcher's reconciler sends the unfinished items again.
 */
public final class EmbeddedSqsServer implements EmbeddedQueueServer, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedSqsServer.class);

  private volatile SQSRestServer server;
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

  /**
   * Stops the server and starts an empty one on the same port, as a broker restart does to an
   * in-memory queue: queues and messages are gone (whoever needs them creates the queues again).
   * For fault-injection tests.
   */
  public synchronized void restart() {
    server.stopAndWait();
    RuntimeException last = null;
    for (int attempt = 0; attempt < 20; attempt++) {
      try {
        SQSRestServer next = SQSRestServerBuilder.withPort(port).withInterface("127.0.0.1").start();
        next.waitUntilStarted();
        server = next;
        log.warn("embedded SQS (ElasticMQ) restarted empty on port {}", port);
        return;
      } catch (RuntimeException e) {
        last = e; // the port may take a moment to be free again
        try {
          Thread.sleep(250);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted restarting embedded SQS", ie);
        }
      }
    }
    throw new IllegalStateException("embedded SQS could not restart on port " + port, last);
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
