package dev.spotbatch.queue.sqs;

import dev.spotbatch.codec.CodecException;
import dev.spotbatch.codec.MessageCodec;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.queue.Lease;
import dev.spotbatch.queue.QueueException;
import dev.spotbatch.queue.QueueStats;
import dev.spotbatch.queue.WorkSource;
import dev.spotbatch.queue.WorkSubmitter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Both ends of the work queue ({@link WorkSubmitter}, {@link WorkSource}) on Amazon SQS (or
 * anything that speaks its protocol, such as ElasticMQ). A lease is a receive with the lease time
 * as visibility timeout, its handle the receipt handle; extend changes the visibility, complete
 * deletes, requeue sends the next item (with a delay) before deleting the old message. Transient
 * SQS errors are retried here; a stale receipt handle becomes {@link
 * dev.spotbatch.queue.LeaseLostException}. Messages that cannot be decoded are logged and left
 * alone, so the queue's redrive policy moves them to the dead-letter queue.
 *
 * <p>Thread-safe. Does not close the client, which belongs to the caller.
 */
public final class SqsWorkQueue implements WorkSubmitter, WorkSource {
  private static final Logger log = LoggerFactory.getLogger(SqsWorkQueue.class);

  private final SqsAsyncClient client;
  private final MessageCodec codec;
  private final Clock clock;
  private final SqsOptions options;
  private final SqsCalls sqs;

  public SqsWorkQueue(
      SqsAsyncClient client, String queueUrl, MessageCodec codec, Clock clock, SqsOptions options) {
    this.client = Objects.requireNonNull(client, "client");
    this.codec = Objects.requireNonNull(codec, "codec");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.options = Objects.requireNonNull(options, "options");
    Objects.requireNonNull(queueUrl, "queueUrl");
    this.sqs = new SqsCalls(client, queueUrl, options, "sqs-work:" + queueName(queueUrl));
  }

  /** The URL of the queue this adapter uses. */
  public String queueUrl() {
    return sqs.queueUrl();
  }

  @Override
  public void send(List<WorkItem> items) {
    List<String> bodies = new ArrayList<>(items.size());
    for (WorkItem item : items) {
      bodies.add(codec.encode(item));
    }
    sqs.sendAll(bodies, 0);
  }

  @Override
  public List<Lease> lease(int max, Duration wait, Duration leaseTime) {
    int visibility = SqsCalls.visibilitySeconds(leaseTime);
    List<Message> messages = sqs.receive(max, wait, Duration.ofSeconds(visibility));
    Instant deadline = clock.instant().plus(leaseTime);
    List<Lease> leases = new ArrayList<>(messages.size());
    for (Message message : messages) {
      int deliveries = SqsCalls.receiveCount(message);
      WorkItem item;
      try {
        item = codec.decodeItem(message.body());
      } catch (CodecException e) {
        // left in flight: it comes back after the visibility timeout until redrive moves it
        log.warn(
            "skipping undecodable message {} on {} (delivery {}): {}",
            message.messageId(),
            sqs.queueUrl(),
            deliveries,
            e.getMessage());
        continue;
      }
      leases.add(new Lease(item, message.receiptHandle(), deadline, deliveries));
    }
    return leases;
  }

  @Override
  public Lease extend(Lease lease, Duration leaseTime) {
    int visibility = SqsCalls.visibilitySeconds(leaseTime);
    sqs.call(
        "ChangeMessageVisibility",
        () ->
            client
                .changeMessageVisibility(
                    b ->
                        b.queueUrl(sqs.queueUrl())
                            .receiptHandle(lease.handle())
                            .visibilityTimeout(visibility))
                .join());
    return lease.withDeadline(clock.instant().plus(leaseTime));
  }

  @Override
  public void complete(Lease lease) {
    sqs.call(
        "DeleteMessage",
        () ->
            client
                .deleteMessage(b -> b.queueUrl(sqs.queueUrl()).receiptHandle(lease.handle()))
                .join());
  }

  /**
   * {@inheritDoc}
   *
   * <p>The delay is rounded up to whole seconds and capped at {@link #maxDelay()}. If the old lease
   * was lost meanwhile, {@code next} is already on the queue when the {@link
   * dev.spotbatch.queue.LeaseLostException} comes out (a harmless duplicate).
   */
  @Override
  public void requeue(Lease lease, WorkItem next, Duration delay) {
    if (delay == null || delay.isNegative()) {
      throw new IllegalArgumentException("delay must be >= 0, was " + delay);
    }
    Duration capped = delay.compareTo(options.maxDelay()) > 0 ? options.maxDelay() : delay;
    // whole seconds, rounded up, but never past the cap
    int seconds =
        (int)
            Math.min(
                capped.getNano() == 0 ? capped.toSeconds() : capped.toSeconds() + 1,
                options.maxDelay().toSeconds());
    String body = codec.encode(next);
    // send first: a crash in between duplicates the item, never loses it
    sqs.call(
        "SendMessage",
        () ->
            client
                .sendMessage(
                    b -> b.queueUrl(sqs.queueUrl()).messageBody(body).delaySeconds(seconds))
                .join());
    complete(lease);
  }

  @Override
  public QueueStats stats() {
    Map<QueueAttributeName, String> attributes =
        sqs.call(
                "GetQueueAttributes",
                () ->
                    client
                        .getQueueAttributes(
                            b ->
                                b.queueUrl(sqs.queueUrl())
                                    .attributeNames(
                                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                        QueueAttributeName
                                            .APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
                        .join())
            .attributes();
    return QueueStats.of(
        count(attributes, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES),
        count(attributes, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE),
        count(attributes, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED));
  }

  @Override
  public Duration maxDelay() {
    return options.maxDelay();
  }

  /** Nothing to release: the client belongs to the caller. */
  @Override
  public void close() {
    sqs.close();
  }

  private static long count(Map<QueueAttributeName, String> attributes, QueueAttributeName name) {
    String value = attributes.get(name);
    if (value == null) {
      return 0;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new QueueException("SQS returned a non-numeric " + name + ": " + value);
    }
  }

  static String queueName(String queueUrl) {
    int slash = queueUrl.lastIndexOf('/');
    return slash < 0 ? queueUrl : queueUrl.substring(slash + 1);
  }
}
