package dev.spotbatch.queue.sqs;

import dev.spotbatch.codec.CodecException;
import dev.spotbatch.codec.MessageCodec;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.queue.DeadLetter;
import dev.spotbatch.queue.DeadLetterQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The {@link DeadLetterQueue} on the SQS queue the work queue's redrive policy moves messages to:
 * receive leases them for {@link #HOLD} (a dispatcher that dies while handling them sees them
 * again), acknowledge deletes them. Transient errors are retried with the adapters' policy.
 * Thread-safe; does not close the client.
 */
public final class SqsDeadLetterQueue implements DeadLetterQueue {
  /** How long a received dead letter stays invisible while the dispatcher records it. */
  static final Duration HOLD = Duration.ofSeconds(60);

  private final SqsAsyncClient client;
  private final MessageCodec codec;
  private final SqsCalls sqs;
  private final String name;

  public SqsDeadLetterQueue(
      SqsAsyncClient client, String queueUrl, MessageCodec codec, SqsOptions options) {
    this.client = Objects.requireNonNull(client, "client");
    this.codec = Objects.requireNonNull(codec, "codec");
    Objects.requireNonNull(queueUrl, "queueUrl");
    this.name = SqsWorkQueue.queueName(queueUrl);
    this.sqs = new SqsCalls(client, queueUrl, Objects.requireNonNull(options), "sqs-dlq:" + name);
  }

  @Override
  public List<DeadLetter> receive(int max, Duration wait) {
    List<Message> messages = sqs.receive(max, wait, HOLD);
    List<DeadLetter> letters = new ArrayList<>(messages.size());
    for (Message m : messages) {
      int received = receiveCount(m);
      String where =
          "moved to the dead-letter queue "
              + name
              + " by SQS (redrive policy) after its lease ran out too often";
      WorkItem item = null;
      String reason;
      try {
        item = codec.decodeItem(m.body());
        reason = where + " (" + received + " receives counted there)";
      } catch (CodecException e) {
        reason = "undecodable message " + m.messageId() + " " + where + ": " + e.getMessage();
      }
      letters.add(new DeadLetter(item, m.receiptHandle(), received, reason));
    }
    return letters;
  }

  @Override
  public void acknowledge(List<DeadLetter> letters) {
    List<String> handles = new ArrayList<>(letters.size());
    for (DeadLetter l : letters) {
      handles.add(l.handle());
    }
    sqs.deleteAll(handles);
  }

  @Override
  public long depth() {
    Map<QueueAttributeName, String> a =
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
                                            .APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                        .join())
            .attributes();
    return number(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        + number(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
  }

  @Override
  public void close() {
    sqs.close();
  }

  private static int receiveCount(Message m) {
    String n = m.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
    try {
      return n == null ? 0 : Integer.parseInt(n);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static long number(String s) {
    return s == null ? 0 : Long.parseLong(s);
  }
}
