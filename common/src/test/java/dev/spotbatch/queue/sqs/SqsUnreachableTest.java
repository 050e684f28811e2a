package dev.spotbatch.queue.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotbatch.codec.MessageCodec;
import dev.spotbatch.queue.QueueException;
import dev.spotbatch.resilience.RetryOptions;
import dev.spotbatch.testing.MutableClock;
import dev.spotbatch.testing.Samples;
import dev.spotbatch.testing.SharedEventLoop;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/** What the SQS adapters do when the broker cannot be reached at all. */
class SqsUnreachableTest {
  private SqsAsyncClient client;

  @BeforeEach
  void connectToAClosedPort() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    client =
        SqsAsyncClient.builder()
            .endpointOverride(URI.create("http://127.0.0.1:" + port))
            .region(Region.US_EAST_1)
            // a refused connection sometimes leaves the SDK's channel pool waiting for its
            // acquisition timeout (10 s by default) instead of failing at once: 10 s calls, seen
            // in 9 of 48 calls on 2026-12-02); the short timeouts still fail every call, only
            // sooner
            .httpClientBuilder(
                SharedEventLoop.httpClient()
                    .connectionTimeout(Duration.ofMillis(500))
                    .connectionAcquisitionTimeout(Duration.ofMillis(500)))
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
            .overrideConfiguration(c -> c.retryPolicy(RetryPolicy.none()))
            .build();
  }

  @AfterEach
  void close() {
    client.close();
  }

  @Test
  void retriesThenFailsWithAQueueErrorThatNamesTheCall() {
    RetryOptions fast =
        new RetryOptions(
            3, Duration.ofMillis(5), 2.0, Duration.ofMillis(20), 50f, 20, Duration.ofSeconds(30));
    SqsWorkQueue queue =
        new SqsWorkQueue(
            client,
            "http://127.0.0.1/000000000000/work",
            new MessageCodec(),
            Clock.systemUTC(),
            SqsOptions.defaults().withRetry(fast));

    assertThatThrownBy(() -> queue.send(List.of(Samples.item(1))))
        .isInstanceOf(QueueException.class)
        .hasMessageContaining("SendMessageBatch");
    assertThatThrownBy(() -> queue.lease(1, Duration.ZERO, Duration.ofSeconds(5)))
        .isInstanceOf(QueueException.class)
        .hasMessageContaining("ReceiveMessage");
  }

  @Test
  void stopsCallingOnceTheBreakerIsOpen() {
    RetryOptions oneShot =
        new RetryOptions(
            1, Duration.ofMillis(5), 2.0, Duration.ofMillis(20), 50f, 4, Duration.ofMinutes(5));
    SqsEventQueue events =
        new SqsEventQueue(
            client,
            "http://127.0.0.1/000000000000/events",
            new MessageCodec(),
            SqsOptions.defaults().withRetry(oneShot));
    for (int i = 0; i < 4; i++) {
      assertThatThrownBy(() -> events.receive(1, Duration.ZERO)).isInstanceOf(QueueException.class);
    }

    assertThatThrownBy(() -> events.publish(List.of(Samples.completed(1))))
        .isInstanceOf(QueueException.class)
        .hasMessageContaining("circuit open");
  }

  @Test
  void queueResolutionWaitsForAnSqsThatCannotBeReachedYetThenGivesUp() {
    RetryOptions oneShot =
        new RetryOptions(
            1, Duration.ofMillis(5), 2.0, Duration.ofMillis(20), 50f, 20, Duration.ofSeconds(30));
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    List<Duration> sleeps = new ArrayList<>();
    SqsQueueResolver resolver =
        new SqsQueueResolver(
            client,
            oneShot,
            clock,
            d -> {
              sleeps.add(d);
              clock.advance(d);
            });

    assertThatThrownBy(() -> resolver.url("work", Duration.ofSeconds(3)))
        .isInstanceOf(QueueException.class)
        .hasMessageContaining("'work' not found or SQS unreachable after 4 looks");
    assertThat(sleeps).hasSize(3);
  }
}
