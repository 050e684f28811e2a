package dev.spotbatch.queue.sqs;

import dev.spotbatch.queue.QueueException;
import dev.spotbatch.resilience.CloudCalls;
import dev.spotbatch.resilience.RetryOptions;
import dev.spotbatch.resilience.Sleeper;
import dev.spotbatch.resilience.TransientErrors;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * Turns SQS queue names into URLs, the one way both apps and {@link SqsQueues} do it: GetQueueUrl
 * under the adapters' retry policy ({@link CloudCalls}: transient errors are retried with backoff
 * and counted by its circuit breaker), and, for a queue that does not exist yet or an SQS that
 * cannot be reached yet (the dispatcher may still be starting its queues), another look every
 * {@link #RECHECK} until a given patience runs out. Waits through the injected clock and sleeper.
 * Thread-safe.
 */
public final class SqsQueueResolver {
  private static final Logger log = LoggerFactory.getLogger(SqsQueueResolver.class);

  /** How long {@link #url} waits between two looks. */
  public static final Duration RECHECK = Duration.ofSeconds(1);

  private final SqsAsyncClient client;
  private final CloudCalls calls;
  private final Clock clock;
  private final Sleeper sleeper;

  public SqsQueueResolver(SqsAsyncClient client, RetryOptions retry, Clock clock, Sleeper sleeper) {
    this.client = Objects.requireNonNull(client, "client");
    this.calls = new CloudCalls("sqs-resolve", Objects.requireNonNull(retry, "retry"));
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
  }

  /** A resolver with the default retry policy, the system clock and real sleeps. */
  public SqsQueueResolver(SqsAsyncClient client) {
    this(client, RetryOptions.defaults(), Clock.systemUTC(), Sleeper.system());
  }

  /**
   * The URL of a queue, or empty if SQS says there is no queue of that name.
   *
   * @throws QueueException if SQS fails otherwise (after retrying transient errors)
   */
  public Optional<String> find(String name) {
    Objects.requireNonNull(name, "name");
    try {
      return Optional.of(
          calls.call(() -> client.getQueueUrl(b -> b.queueName(name)).join().queueUrl()));
    } catch (QueueDoesNotExistException e) {
      return Optional.empty();
    } catch (RuntimeException e) {
      Throwable cause = TransientErrors.unwrap(e);
      throw new QueueException(
          "cannot resolve SQS queue '" + name + "': " + cause.getMessage(), cause);
    }
  }

  /**
   * The URL of a queue, looking again every {@link #RECHECK} for up to {@code patience} while the
   * queue does not exist or SQS cannot be reached. A patience of zero looks once.
   *
   * @throws QueueException if the queue is still missing or SQS still unreachable after that, or
   *     SQS refuses the call for another reason (such as access denied)
   */
  public String url(String name, Duration patience) {
    if (patience == null || patience.isNegative()) {
      throw new IllegalArgumentException("patience must be >= 0, was " + patience);
    }
    Instant until = clock.instant().plus(patience);
    for (int look = 1; ; look++) {
      String problem;
      QueueException failure = null;
      try {
        Optional<String> url = find(name);
        if (url.isPresent()) {
          log.info("SQS queue {} is {}", name, url.get());
          return url.get();
        }
        problem = "it does not exist";
      } catch (QueueException e) {
        if (!worthWaitingFor(e.getCause())) {
          throw e;
        }
        failure = e;
        problem = e.getCause().getMessage();
      }
      if (!clock.instant().isBefore(until)) {
        throw new QueueException(
            "SQS queue '"
                + name
                + "' not found or SQS unreachable after "
                + look
                + (look == 1 ? " look" : " looks")
                + " over "
                + patience
                + ": "
                + problem,
            failure == null ? null : failure.getCause());
      }
      log.warn("cannot resolve SQS queue '{}' yet (look {}): {}", name, look, problem);
      try {
        sleeper.sleep(RECHECK);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new QueueException("interrupted while resolving SQS queue '" + name + "'", e);
      }
    }
  }

  private static boolean worthWaitingFor(Throwable cause) {
    return TransientErrors.isTransient(cause) || cause instanceof CallNotPermittedException;
  }
}
