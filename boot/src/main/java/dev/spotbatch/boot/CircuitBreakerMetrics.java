package dev.spotbatch.boot;

import dev.spotbatch.resilience.CloudCalls;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;

/**
 * The gauge {@code spotbatch.circuit.breakers{state}}: how many of the process's cloud-call circuit
 * breakers (SQS, S3; one per {@link CloudCalls}) are open or half open. Both apps register it; the
 * alert rules fire on an open breaker (a queue or the store has been failing for a while).
 */
public final class CircuitBreakerMetrics {
  private CircuitBreakerMetrics() {}

  /** Registers one gauge per state that matters (open, half open). */
  public static void register(MeterRegistry registry) {
    for (CircuitBreaker.State state :
        new CircuitBreaker.State[] {CircuitBreaker.State.OPEN, CircuitBreaker.State.HALF_OPEN}) {
      Gauge.builder("spotbatch.circuit.breakers", () -> CloudCalls.breakersIn(state))
          .tag("state", state.name().toLowerCase(Locale.ROOT))
          .description("cloud-call circuit breakers (SQS, S3) in this state")
          .register(registry);
    }
  }
}
