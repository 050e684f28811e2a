package dev.spotbatch.queue.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotbatch.queue.QueueException;
import dev.spotbatch.resilience.RetryOptions;
import dev.spotbatch.resilience.Sleeper;
import dev.spotbatch.testing.ElasticMqServer;
import dev.spotbatch.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/** Queue names to URLs on ElasticMQ, waiting on a fake clock for a queue that comes late. */
class SqsQueueResolverTest {
  private static final RetryOptions FAST =
      new RetryOptions(
          2, Duration.ofMillis(5), 2.0, Duration.ofMillis(10), 50f, 20, Duration.ofSeconds(30));
  private static ElasticMqServer server;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final List<Duration> sleeps = new ArrayList<>();
  private final Sleeper advance =
      d -> {
        sleeps.add(d);
        clock.advance(d);
      };

  @BeforeAll
  static void startServer() {
    server = ElasticMqServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  private SqsQueueResolver resolver(SqsAsyncClient client, Sleeper sleeper) {
    return new SqsQueueResolver(client, FAST, clock, sleeper);
  }

  @Test
  void resolvesAnExistingQueueAtTheFirstLook() {
    String name = "resolve-" + UUID.randomUUID();
    String url = SqsQueues.ensure(server.client(), name, 3).queueUrl();

    assertThat(resolver(server.client(), advance).url(name, Duration.ofSeconds(15))).isEqualTo(url);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void findSaysWhenThereIsNoSuchQueue() {
    assertThat(resolver(server.client(), advance).find("missing-" + UUID.randomUUID())).isEmpty();
  }

  @Test
  void waitsForAQueueThatIsCreatedWhileItLooks() {
    String name = "late-" + UUID.randomUUID();
    Sleeper createOnThirdLook =
        d -> {
          advance.sleep(d);
          if (sleeps.size() == 2) {
            SqsQueues.ensure(server.client(), name, 3);
          }
        };

    String url = resolver(server.client(), createOnThirdLook).url(name, Duration.ofSeconds(15));

    assertThat(url).endsWith("/" + name);
    assertThat(sleeps).containsExactly(SqsQueueResolver.RECHECK, SqsQueueResolver.RECHECK);
  }

  @Test
  void givesUpAfterItsPatienceNamingTheQueue() {
    String name = "never-" + UUID.randomUUID();

    assertThatThrownBy(() -> resolver(server.client(), advance).url(name, Duration.ofSeconds(5)))
        .isInstanceOf(QueueException.class)
        .hasMessageContaining(name)
        .hasMessageContaining("does not exist");
    assertThat(sleeps).hasSize(5);
  }

  @Test
  void aPatienceOfZeroLooksOnce() {
    assertThatThrownBy(
            () ->
                resolver(server.client(), advance).url("none-" + UUID.randomUUID(), Duration.ZERO))
        .isInstanceOf(QueueException.class);
    assertThat(sleeps).isEmpty();
  }
}
