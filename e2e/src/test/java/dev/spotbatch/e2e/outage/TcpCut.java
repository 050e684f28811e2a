package dev.spotbatch.e2e.outage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP relay in front of a server that can cut it off: {@link #cut()} closes every open
 * connection and resets each new one until {@link #restore()}. Clients see exactly what they see
 * when a service is unreachable, while the server behind keeps its state (ElasticMQ keeps its
 * messages in memory: stopping it would lose them, which an SQS outage never does).
 */
final class TcpCut implements AutoCloseable {
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final ServerSocket listener;
  private volatile int targetPort;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean cut;
  private volatile boolean closed;

  TcpCut(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    thread("tcp-cut-accept", this::acceptLoop).start();
  }

  int port() {
    return listener.getLocalPort();
  }

  /** New connections go to {@code port} from now on (a server that came back elsewhere). */
  void retarget(int port) {
    targetPort = port;
  }

  /** From now on the server cannot be reached: open connections close, new ones are reset. */
  void cut() {
    cut = true;
    for (Socket s : open) {
      closeQuietly(s);
    }
    open.clear();
  }

  /** The server can be reached again. */
  void restore() {
    cut = false;
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      if (cut) {
        try {
          client.setSoLinger(true, 0); // a reset, as a dead host's firewall would answer
        } catch (IOException ignored) {
          // closing is what matters
        }
        closeQuietly(client);
        continue;
      }
      try {
        Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        open.add(client);
        open.add(server);
        thread("tcp-cut-up", () -> pump(client, server)).start();
        thread("tcp-cut-down", () -> pump(server, client)).start();
      } catch (IOException e) {
        closeQuietly(client);
      }
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16384];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException ignored) {
      // one side went away: close both below
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      open.remove(from);
      open.remove(to);
    }
  }

  private static Thread thread(String name, Runnable r) {
    Thread t = new Thread(r, name + "-" + THREADS.incrementAndGet());
    t.setDaemon(true);
    return t;
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(listener);
    cut();
  }

  private static void closeQuietly(ServerSocket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
  }
}
