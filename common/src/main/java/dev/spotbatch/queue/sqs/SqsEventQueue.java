package dev.spotbatch.queue.sqs;

import dev.spotbatch.codec.CodecException;
import dev.spotbatch.codec.MessageCodec;
import dev.spotbatch.event.WorkerEvent;
import dev.spotbatch.queue.EventDelivery;
import dev.spotbatch.queue.EventQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The {@link EventQueue} on Amazon SQS: publish sends batches of ten, receive uses the queue's own
 * visibility timeout, acknowledge deletes in batches of ten. Transient errors are retried with the
 * same policy as {@link SqsWorkQueue}. Undecodable messages are logged and left for the redrive
 * policy. Thread-safe; does not close the client.
 */
public final class SqsEventQueue implements EventQueue {
  private static final Logger log = LoggerFactory.getLogger(SqsEventQueue.class);

  private final MessageCodec codec;
  private final SqsCalls sqs;

  public SqsEventQueue(
      SqsAsyncClient client, String queueUrl, MessageCodec codec, SqsOptions options) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(queueUrl, "queueUrl");
    Objects.requireNonNull(options, "options");
    this.codec = Objects.requireNonNull(codec, "codec");
    this.sqs =
        new SqsCalls(client, queueUrl, options, "sqs-events:" + SqsWorkQueue.queueName(queueUrl));
  }

  @Override
  public void publish(List<WorkerEvent> events) {
    List<String> bodies = new ArrayList<>(events.size());
    for (WorkerEvent event : events) {
      bodies.add(codec.encode(event));
    }
    sqs.sendAll(bodies, 0);
  }

  @Override
  public List<EventDelivery> receive(int max, Duration wait) {
    List<Message> messages = sqs.receive(max, wait, null);
    List<EventDelivery> deliveries = new ArrayList<>(messages.size());
    for (Message message : messages) {
      try {
        deliveries.add(
            new EventDelivery(codec.decodeEvent(message.body()), message.receiptHandle()));
      } catch (CodecException e) {
        log.warn(
            "skipping undecodable event message {} on {}: {}",
            message.messageId(),
            sqs.queueUrl(),
            e.getMessage());
      }
    }
    return deliveries;
  }

  @Override
  public void acknowledge(List<EventDelivery> deliveries) {
    List<String> handles = new ArrayList<>(deliveries.size());
    for (EventDelivery delivery : deliveries) {
      handles.add(delivery.handle());
    }
    int stale = sqs.deleteAll(handles);
    if (stale > 0) {
      // the event was delivered again meanwhile; applying it twice is harmless (idempotent)
      log.info("{} acknowledged events had stale receipt handles on {}", stale, sqs.queueUrl());
    }
  }

  /** Nothing to release: the client belongs to the caller. */
  @Override
  public void close() {
    sqs.close();
  }
}
