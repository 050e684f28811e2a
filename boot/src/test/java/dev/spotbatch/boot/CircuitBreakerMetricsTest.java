package dev.spotbatch.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotbatch.resilience.CloudCalls;
import dev.spotbatch.resilience.RetryOptions;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Each cloud-call breaker's state and transitions are metrics, named after the breaker. */
class CircuitBreakerMetricsTest {
  static final RetryOptions OPENS_AFTER_TWO =
      new RetryOptions(
          1, Duration.ofMillis(1), 2.0, Duration.ofMillis(1), 50f, 2, Duration.ofMinutes(5));

  @Test
  void aBreakerThatOpensShowsItsStateAndTransitionByName() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    CircuitBreakerMetrics.register(registry);
    CloudCalls calls = new CloudCalls("s3-metrics-test", OPENS_AFTER_TWO);

    assertThat(state(registry, "closed")).isEqualTo(1);
    failTwice(calls);

    assertThat(state(registry, "open")).isEqualTo(1);
    assertThat(state(registry, "closed")).isZero();
    assertThat(
            registry
                .counter(
                    "spotbatch.circuit.breaker.transitions",
                    "name",
                    "s3-metrics-test",
                    "from",
                    "closed",
                    "to",
                    "open")
                .count())
        .isEqualTo(1);
    assertThat(registry.get("spotbatch.circuit.breakers").tag("state", "open").gauge().value())
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  void adaptersSharingANameShareOneGaugeThatCountsEachOfTheirBreakers() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    CircuitBreakerMetrics.register(registry);
    CloudCalls first = new CloudCalls("sqs-twins-test", OPENS_AFTER_TWO);
    CloudCalls second = new CloudCalls("sqs-twins-test", OPENS_AFTER_TWO);

    assertThat(registry.find("spotbatch.circuit.breaker.state").tag("state", "open").gauges())
        .filteredOn(g -> "sqs-twins-test".equals(g.getId().getTag("name")))
        .hasSize(1);
    assertThat(state(registry, "sqs-twins-test", "closed")).isEqualTo(2);

    // the second adapter's breaker opens: the gauge must not go on reading only the first
    failTwice(second);

    assertThat(state(registry, "sqs-twins-test", "open")).isEqualTo(1);
    assertThat(state(registry, "sqs-twins-test", "closed")).isEqualTo(1);
    assertThat(first.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  private static void failTwice(CloudCalls calls) {
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(
              () ->
                  calls.run(
                      () -> {
                        throw new UncheckedIOException(new ConnectException("refused"));
                      }))
          .isInstanceOf(RuntimeException.class);
    }
  }

  private static double state(SimpleMeterRegistry registry, String state) {
    return state(registry, "s3-metrics-test", state);
  }

  private static double state(SimpleMeterRegistry registry, String name, String state) {
    return registry
        .get("spotbatch.circuit.breaker.state")
        .tag("name", name)
        .tag("state", state)
        .gauge()
        .value();
  }
}
