package dev.spotbatch.boot;

import dev.spotbatch.resilience.CloudCalls;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The circuit breakers of the process's cloud calls (SQS, S3; one per {@link CloudCalls}) as
 * metrics: {@code spotbatch.circuit.breakers{state}}, how many are open or half open (the alert
 * rules fire on an open one: a queue or the store has been failing for a while); per breaker name,
 * {@code spotbatch.circuit.breaker.state{name,state}} (how many of the breakers in use with that
 * name are in that state: 1 or 0 where a name has one breaker) and {@code
 * spotbatch.circuit.breaker.transitions{name,from,to}}, so an outage shows which service went and
 * when it came back. Both apps register it.
 */
public final class CircuitBreakerMetrics {
  private static final CircuitBreaker.State[] STATES = {
    CircuitBreaker.State.CLOSED, CircuitBreaker.State.OPEN, CircuitBreaker.State.HALF_OPEN
  };

  private CircuitBreakerMetrics() {}

  /** Registers the totals per state and, for every breaker now and later, its own meters. */
  public static void register(MeterRegistry registry) {
    for (CircuitBreaker.State state :
        new CircuitBreaker.State[] {CircuitBreaker.State.OPEN, CircuitBreaker.State.HALF_OPEN}) {
      Gauge.builder("spotbatch.circuit.breakers", () -> CloudCalls.breakersIn(state))
          .tag("state", tag(state))
          .description("cloud-call circuit breakers (SQS, S3) in this state")
          .register(registry);
    }
    Set<String> named = ConcurrentHashMap.newKeySet();
    CloudCalls.watch(calls -> perBreaker(registry, named, calls));
  }

  private static void perBreaker(MeterRegistry registry, Set<String> named, CloudCalls calls) {
    // one gauge per name, however many adapters share it: a second registration of the same meter
    // would be ignored (with a warning) and leave the gauge reading only the first adapter
    String name = calls.name();
    if (named.add(name)) {
      for (CircuitBreaker.State state : STATES) {
        // reads by name, holding no adapter: a closed adapter's breaker goes away with it
        Gauge.builder("spotbatch.circuit.breaker.state", () -> CloudCalls.breakersIn(name, state))
            .tag("name", name)
            .tag("state", tag(state))
            .description("cloud-call circuit breakers of this name in this state")
            .register(registry);
      }
    }
    calls.onTransition(
        (from, to) ->
            registry
                .counter(
                    "spotbatch.circuit.breaker.transitions",
                    "name",
                    calls.name(),
                    "from",
                    tag(from),
                    "to",
                    tag(to))
                .increment());
  }

  private static String tag(CircuitBreaker.State state) {
    return state.name().toLowerCase(Locale.ROOT);
  }
}
