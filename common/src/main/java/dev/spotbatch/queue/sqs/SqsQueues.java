package dev.spotbatch.queue.sqs;

import dev.spotbatch.queue.QueueException;
import dev.spotbatch.resilience.CloudCalls;
import dev.spotbatch.resilience.RetryOptions;
import dev.spotbatch.resilience.TransientErrors;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Creates a queue and its dead-letter queue if they are missing, and points the queue's redrive
 * policy at the dead-letter queue. Used by the embedded default and by tests; production queues
 * come from Terraform and are only resolved ({@link SqsQueueResolver}, which this class uses too).
 * Every call runs under the adapters' retry policy.
 */
public final class SqsQueues {
  private SqsQueues() {}

  /**
   * A queue and its dead-letter queue.
   *
   * @param queueUrl the queue's URL
   * @param deadLetterQueueUrl the dead-letter queue's URL
   * @param deadLetterQueueArn the dead-letter queue's ARN, as named in the redrive policy
   */
  public record QueueUrls(String queueUrl, String deadLetterQueueUrl, String deadLetterQueueArn) {}

  /**
   * Ensures {@code name} and {@code name-dlq} exist; a message received more than {@code
   * maxReceiveCount} times moves to the dead-letter queue.
   */
  public static QueueUrls ensure(SqsAsyncClient client, String name, int maxReceiveCount) {
    return ensure(client, name, maxReceiveCount, null);
  }

  /**
   * Like {@link #ensure(SqsAsyncClient, String, int)}, also setting the queue's default visibility
   * timeout (when not null).
   */
  public static QueueUrls ensure(
      SqsAsyncClient client, String name, int maxReceiveCount, Duration visibilityTimeout) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(name, "name");
    if (maxReceiveCount < 1 || maxReceiveCount > 1000) {
      throw new IllegalArgumentException(
          "maxReceiveCount must be between 1 and 1000 (SQS), was " + maxReceiveCount);
    }
    SqsQueueResolver resolver = new SqsQueueResolver(client);
    CloudCalls calls = new CloudCalls("sqs-ensure:" + name, RetryOptions.defaults());
    try {
      String dlqUrl = urlOrCreate(resolver, calls, client, name + "-dlq", Map.of());
      String dlqArn =
          calls
              .call(
                  () ->
                      client
                          .getQueueAttributes(
                              b -> b.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                          .join())
              .attributes()
              .get(QueueAttributeName.QUEUE_ARN);
      if (dlqArn == null) {
        throw new QueueException("SQS returned no QueueArn for " + dlqUrl);
      }
      Map<QueueAttributeName, String> attributes = new HashMap<>();
      attributes.put(
          QueueAttributeName.REDRIVE_POLICY,
          "{\"deadLetterTargetArn\":\""
              + dlqArn
              + "\",\"maxReceiveCount\":\""
              + maxReceiveCount
              + "\"}");
      if (visibilityTimeout != null) {
        attributes.put(
            QueueAttributeName.VISIBILITY_TIMEOUT,
            Integer.toString(SqsCalls.visibilitySeconds(visibilityTimeout)));
      }
      String url = urlOrCreate(resolver, calls, client, name, attributes);
      calls.run(
          () -> client.setQueueAttributes(b -> b.queueUrl(url).attributes(attributes)).join());
      return new QueueUrls(url, dlqUrl, dlqArn);
    } catch (QueueException e) {
      throw new QueueException("cannot set up SQS queue " + name + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      Throwable cause = TransientErrors.unwrap(e);
      throw new QueueException(
          "cannot set up SQS queue " + name + ": " + cause.getMessage(), cause);
    }
  }

  /** The queue's URL, creating the queue first if it does not exist. */
  private static String urlOrCreate(
      SqsQueueResolver resolver,
      CloudCalls calls,
      SqsAsyncClient client,
      String name,
      Map<QueueAttributeName, String> attributes) {
    return resolver
        .find(name)
        .orElseGet(
            () ->
                calls
                    .call(
                        () ->
                            client
                                .createQueue(b -> b.queueName(name).attributes(attributes))
                                .join())
                    .queueUrl());
  }
}
