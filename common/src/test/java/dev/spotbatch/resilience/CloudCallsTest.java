package dev.spotbatch.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SqsException;

/** The shared retry and circuit-breaker policy. */
class CloudCallsTest {
  private static final RetryOptions FAST =
      new RetryOptions(
          4, Duration.ofMillis(1), 2.0, Duration.ofMillis(5), 50f, 10, Duration.ofMinutes(1));

  private final CloudCalls calls = new CloudCalls("test", FAST);

  @Test
  void retriesTransientFailuresUntilTheCallSucceeds() {
    AtomicInteger attempts = new AtomicInteger();

    String result =
        calls.call(
            () -> {
              if (attempts.incrementAndGet() < 3) {
                throw SdkClientException.create("connection reset");
              }
              return "ok";
            });

    assertThat(result).isEqualTo("ok");
    assertThat(attempts).hasValue(3);
  }

  @Test
  void retriesServerErrorsAndThrottling() {
    assertThat(TransientErrors.isTransient(status(500))).isTrue();
    assertThat(TransientErrors.isTransient(status(503))).isTrue();
    assertThat(TransientErrors.isTransient(status(429))).isTrue();
    assertThat(TransientErrors.isTransient(new UncheckedIOException(new IOException("x"))))
        .isTrue();
  }

  @Test
  void doesNotRetryClientErrors() {
    AtomicInteger attempts = new AtomicInteger();

    assertThatThrownBy(
            () ->
                calls.call(
                    () -> {
                      attempts.incrementAndGet();
                      throw QueueDoesNotExistException.builder()
                          .statusCode(400)
                          .message("gone")
                          .build();
                    }))
        .isInstanceOf(QueueDoesNotExistException.class);
    assertThat(attempts).hasValue(1);
    assertThat(TransientErrors.isTransient(status(404))).isFalse();
  }

  @Test
  void givesUpAfterTheLastAttemptWithTheLastFailure() {
    AtomicInteger attempts = new AtomicInteger();

    assertThatThrownBy(
            () ->
                calls.call(
                    () -> {
                      attempts.incrementAndGet();
                      throw status(503);
                    }))
        .isInstanceOf(SqsException.class);
    assertThat(attempts).hasValue(FAST.maxAttempts());
  }

  @Test
  void unwrapsTheFailureOfAnAsyncCall() {
    assertThatThrownBy(() -> calls.call(() -> CompletableFuture.failedFuture(status(400)).join()))
        .isInstanceOf(SqsException.class);
  }

  @Test
  void opensTheBreakerAfterRepeatedTransientFailures() {
    CloudCalls oneShot = new CloudCalls("breaker", FAST.withMaxAttempts(1));
    int openBefore = CloudCalls.breakersIn(CircuitBreaker.State.OPEN);
    for (int i = 0; i < 10; i++) {
      assertThatThrownBy(
          () ->
              oneShot.call(
                  () -> {
                    throw status(500);
                  }));
    }

    assertThat(oneShot.breakerState()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(CloudCalls.breakersIn(CircuitBreaker.State.OPEN)).isEqualTo(openBefore + 1);
    assertThatThrownBy(() -> oneShot.call(() -> "never runs"))
        .isInstanceOf(CallNotPermittedException.class);
  }

  @Test
  void keepsTheBreakerClosedOnClientErrors() {
    CloudCalls oneShot = new CloudCalls("closed", FAST.withMaxAttempts(1));
    for (int i = 0; i < 20; i++) {
      assertThatThrownBy(
          () ->
              oneShot.call(
                  () -> {
                    throw status(400);
                  }));
    }

    assertThat(oneShot.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void validatesItsOptions() {
    assertThatThrownBy(() -> FAST.withMaxAttempts(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new RetryOptions(
                    3, Duration.ZERO, 2.0, Duration.ofSeconds(1), 50f, 10, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("initialBackoff");
  }

  private static SqsException status(int status) {
    return (SqsException)
        SqsException.builder().statusCode(status).message("status " + status).build();
  }
}
