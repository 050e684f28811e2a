package dev.spotbatch.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs calls to a cloud service under one Resilience4j {@link Retry} (waits from the project's one
 * {@link Backoff} policy, transient errors only, see {@link TransientErrors}) and one {@link
 * CircuitBreaker} (opened by transient errors only, so a burst of 4xx never opens it). One instance
 * per adapter; the SQS and S3 adapters share this class rather than each building their own policy.
 * Thread-safe.
 *
 * <p>Failures come out unwrapped: a {@link CompletionException} from an async client is replaced by
 * its cause; an open breaker throws {@link
 * io.github.resilience4j.circuitbreaker.CallNotPermittedException}. Callers translate what comes
 * out into their port's exceptions.
 */
public final class CloudCalls {
  /** Every instance still in use, weakly held: the apps' metrics count their open breakers. */
  private static final Set<CloudCalls> LIVE =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  /** Called for every instance, those made before and after: per-breaker metrics. */
  private static final List<Consumer<CloudCalls>> WATCHERS = new CopyOnWriteArrayList<>();

  private final String name;
  private final Retry retry;
  private final CircuitBreaker breaker;

  public CloudCalls(String name, RetryOptions options) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(options, "options");
    Backoff backoff = options.backoff();
    this.retry =
        Retry.of(
            name,
            RetryConfig.custom()
                .maxAttempts(options.maxAttempts())
                // Resilience4j counts attempts from 1 after the first failure, as Backoff does
                .intervalFunction(attempt -> backoff.delay(attempt).toMillis())
                .retryOnException(TransientErrors::isTransient)
                .failAfterMaxAttempts(false)
                .build());
    this.breaker =
        CircuitBreaker.of(
            name,
            CircuitBreakerConfig.custom()
                .failureRateThreshold(options.failureRatePercent())
                .slidingWindowSize(options.slidingWindowCalls())
                .minimumNumberOfCalls(options.slidingWindowCalls())
                .waitDurationInOpenState(options.openFor())
                .recordException(TransientErrors::isTransient)
                .build());
    this.name = name;
    LIVE.add(this);
    WATCHERS.forEach(w -> w.accept(this));
  }

  /**
   * Calls {@code watcher} for every instance in use now and every one made later (the apps give
   * each breaker its own state gauge and transition counter).
   */
  public static void watch(Consumer<CloudCalls> watcher) {
    List<CloudCalls> now;
    synchronized (LIVE) {
      now = List.copyOf(LIVE);
    }
    WATCHERS.add(watcher);
    now.forEach(watcher);
  }

  /** The name given at construction: the service (and queue) the calls go to. */
  public String name() {
    return name;
  }

  /** Runs {@code listener} with (from, to) on each state change of the breaker. */
  public void onTransition(BiConsumer<CircuitBreaker.State, CircuitBreaker.State> listener) {
    breaker
        .getEventPublisher()
        .onStateTransition(
            e ->
                listener.accept(
                    e.getStateTransition().getFromState(), e.getStateTransition().getToState()));
  }

  /** How many breakers of the instances in use are in {@code state} (a gauge per state). */
  public static int breakersIn(CircuitBreaker.State state) {
    synchronized (LIVE) {
      return (int) LIVE.stream().filter(c -> c.breakerState() == state).count();
    }
  }

  /**
   * How many breakers of the instances in use that are named {@code name} are in {@code state}.
   * Several adapters may call the same service under one name (two event queues on one SQS queue,
   * two queue resolvers), so a name is not one breaker.
   */
  public static int breakersIn(String name, CircuitBreaker.State state) {
    synchronized (LIVE) {
      return (int)
          LIVE.stream().filter(c -> c.name.equals(name) && c.breakerState() == state).count();
    }
  }

  /** Runs {@code call}, retrying transient failures; returns its result or throws its failure. */
  public <T> T call(Supplier<T> call) {
    Supplier<T> unwrapping =
        () -> {
          try {
            return call.get();
          } catch (CompletionException e) {
            Throwable cause = TransientErrors.unwrap(e);
            if (cause instanceof RuntimeException runtime) {
              throw runtime;
            }
            if (cause instanceof Error error) {
              throw error;
            }
            throw e;
          }
        };
    return Retry.decorateSupplier(retry, CircuitBreaker.decorateSupplier(breaker, unwrapping))
        .get();
  }

  /** Runs {@code call} like {@link #call(Supplier)}, for calls without a result. */
  public void run(Runnable call) {
    call(
        () -> {
          call.run();
          return null;
        });
  }

  /** The breaker's state, for health checks and metrics. */
  public CircuitBreaker.State breakerState() {
    return breaker.getState();
  }
}
