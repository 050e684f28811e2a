package dev.spotbatch.testing;

import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;

/**
 * One Netty event loop for every asynchronous AWS client the tests of a JVM build. A client with an
 * event loop of its own shuts it down on close with a 2 s quiet period (the SDK's fixed {@code
 * shutdownGracefully(2, 15, SECONDS)}), so each test that closed a client waited 2 s for nothing; a
 * client on a loop it was given leaves the loop running and closes in milliseconds. Each client
 * still has its own connection pool. The loop's threads are daemons and die with the JVM.
 */
public final class SharedEventLoop {
  private static final SdkEventLoopGroup GROUP =
      SdkEventLoopGroup.builder()
          .numberOfThreads(2)
          .threadFactory(
              new java.util.concurrent.ThreadFactory() {
                private final AtomicInteger ids = new AtomicInteger();

                @Override
                public Thread newThread(Runnable r) {
                  Thread t = new Thread(r, "test-sdk-event-loop-" + ids.incrementAndGet());
                  t.setDaemon(true);
                  return t;
                }
              })
          .build();

  private SharedEventLoop() {}

  /**
   * An HTTP client builder on the shared loop, for {@code
   * SqsAsyncClient.builder().httpClientBuilder(...)}.
   */
  public static NettyNioAsyncHttpClient.Builder httpClient() {
    return NettyNioAsyncHttpClient.builder().eventLoopGroup(GROUP);
  }
}
