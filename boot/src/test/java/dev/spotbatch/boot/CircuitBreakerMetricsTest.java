package dev.spotbatch.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotbatch.resilience.CloudCalls;
import dev.spotbatch.resilience.RetryOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Each cloud-call breaker's state and transitions are metrics, named after the breaker. */
class CircuitBreakerMetricsTest {
  @Test
  void aBreakerThatOpensShowsItsStateAndTransitionByName() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    CircuitBreakerMetrics.register(registry);
    CloudCalls calls =
        new CloudCalls(
            "s3-metrics-test",
            new RetryOptions(
                1, Duration.ofMillis(1), 2.0, Duration.ofMillis(1), 50f, 2, Duration.ofMinutes(5)));

    assertThat(state(registry, "closed")).isEqualTo(1);
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(
              () ->
                  calls.run(
                      () -> {
                        throw new UncheckedIOException(new ConnectException("refused"));
                      }))
          .isInstanceOf(RuntimeException.class);
    }

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

  private static double state(SimpleMeterRegistry registry, String state) {
    return registry
        .get("spotbatch.circuit.breaker.state")
        .tag("name", "s3-metrics-test")
        .tag("state", state)
        .gauge()
        .value();
  }
}
