package dev.spotbatch.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.spotbatch.codec.MessageCodec;
import dev.spotbatch.queue.QueueException;
import dev.spotbatch.queue.sqs.SqsEventQueue;
import dev.spotbatch.queue.sqs.SqsOptions;
import dev.spotbatch.testing.Samples;
import dev.spotbatch.testing.SharedEventLoop;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/** One retry layer: a call that keeps failing is tried exactly as often as CloudCalls says. */
class SdkRetriesTest {
  HttpServer server;
  final AtomicInteger requests = new AtomicInteger();

  @BeforeEach
  void startAFailingSqs() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          requests.incrementAndGet();
          exchange.getRequestBody().readAllBytes();
          byte[] body =
              "{\"__type\":\"InternalFailure\",\"message\":\"down\"}"
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
          exchange.sendResponseHeaders(500, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void aFailingCallIsTriedOnlyAsOftenAsTheOneRetryLayerSays() {
    RetryOptions three =
        new RetryOptions(
            3, Duration.ofMillis(5), 2.0, Duration.ofMillis(20), 50f, 20, Duration.ofSeconds(30));
    try (SqsAsyncClient client = client(true)) {
      SqsEventQueue events =
          new SqsEventQueue(
              client,
              "http://127.0.0.1/000000000000/events",
              new MessageCodec(),
              SqsOptions.defaults().withRetry(three));

      assertThatThrownBy(() -> events.publish(List.of(Samples.completed(1))))
          .isInstanceOf(QueueException.class);
    }

    assertThat(requests.get()).isEqualTo(3);
  }

  @Test
  void theSdkAloneWouldRetryToo() {
    // the stacking this removes: the SDK's default strategy tries a 500 three times by itself
    RetryOptions once =
        new RetryOptions(
            1, Duration.ofMillis(5), 2.0, Duration.ofMillis(20), 50f, 20, Duration.ofSeconds(30));
    try (SqsAsyncClient client = client(false)) {
      SqsEventQueue events =
          new SqsEventQueue(
              client,
              "http://127.0.0.1/000000000000/events",
              new MessageCodec(),
              SqsOptions.defaults().withRetry(once));

      assertThatThrownBy(() -> events.publish(List.of(Samples.completed(1))))
          .isInstanceOf(QueueException.class);
    }

    assertThat(requests.get()).isGreaterThan(1);
  }

  private SqsAsyncClient client(boolean oneLayer) {
    var builder =
        SqsAsyncClient.builder()
            .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
            .region(Region.US_EAST_1)
            .httpClientBuilder(SharedEventLoop.httpClient())
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")));
    if (oneLayer) {
      builder.overrideConfiguration(SdkRetries::off);
    }
    return builder.build();
  }
}
