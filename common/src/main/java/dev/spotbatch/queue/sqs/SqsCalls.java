package dev.spotbatch.queue.sqs;

import dev.spotbatch.queue.LeaseLostException;
import dev.spotbatch.queue.QueueException;
import dev.spotbatch.resilience.CloudCalls;
import dev.spotbatch.resilience.TransientErrors;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageNotInflightException;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiptHandleIsInvalidException;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * The SQS calls both adapters make, written once: batched send and delete with resend of failed
 * entries, bounded receive, and the translation of SDK failures into queue exceptions. Every call
 * runs under the adapter's {@link CloudCalls} policy.
 */
final class SqsCalls {
  static final int MAX_BATCH = 10;
  static final int MAX_WAIT_SECONDS = 20;

  private final SqsAsyncClient client;
  private final String queueUrl;
  private final SqsOptions options;
  private final CloudCalls calls;
  private ExecutorService sender; // started on the first large send; guarded by this

  SqsCalls(SqsAsyncClient client, String queueUrl, SqsOptions options, String name) {
    this.client = client;
    this.queueUrl = queueUrl;
    this.options = options;
    this.calls = new CloudCalls(name, options.retry());
  }

  String queueUrl() {
    return queueUrl;
  }

  /**
   * Runs one call under the retry policy, translating failures; {@code what} names it in errors.
   */
  <T> T call(String what, Supplier<T> call) {
    try {
      return calls.call(call);
    } catch (RuntimeException e) {
      throw translate(what, e);
    }
  }

  /**
   * Sends bodies in batches of at most ten and at most {@code maxBatchBytes}; entries the server
   * failed are resent (with backoff) until they go or the attempts run out.
   *
   * @throws QueueException if some bodies were never accepted
   */
  void sendAll(List<String> bodies, int delaySeconds) {
    List<List<String>> batches = new ArrayList<>();
    List<String> current = new ArrayList<>();
    int currentBytes = 0;
    for (String body : bodies) {
      int bytes = body.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > options.maxBatchBytes()) {
        throw new QueueException(
            "a message of " + bytes + " bytes exceeds the SQS limit of " + options.maxBatchBytes());
      }
      if (current.size() == MAX_BATCH || currentBytes + bytes > options.maxBatchBytes()) {
        batches.add(current);
        current = new ArrayList<>();
        currentBytes = 0;
      }
      current.add(body);
      currentBytes += bytes;
    }
    if (!current.isEmpty()) {
      batches.add(current);
    }
    int lanes = Math.min(options.sendConcurrency(), batches.size());
    if (lanes <= 1) {
      for (List<String> batch : batches) {
        sendBatch(batch, delaySeconds);
      }
      return;
    }
    // a few SendMessageBatch calls in flight at once: a large plan is bound by round trips
    AtomicInteger next = new AtomicInteger();
    List<CompletableFuture<Void>> running = new ArrayList<>(lanes);
    for (int lane = 0; lane < lanes; lane++) {
      running.add(
          CompletableFuture.runAsync(
              () -> {
                for (int k = next.getAndIncrement();
                    k < batches.size();
                    k = next.getAndIncrement()) {
                  sendBatch(batches.get(k), delaySeconds);
                }
              },
              sender()));
    }
    RuntimeException first = null;
    for (CompletableFuture<Void> f : running) {
      try {
        f.join();
      } catch (CompletionException e) {
        if (first == null) {
          first = e.getCause() instanceof RuntimeException r ? r : e;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private synchronized ExecutorService sender() {
    if (sender == null) {
      AtomicInteger n = new AtomicInteger();
      sender =
          Executors.newFixedThreadPool(
              options.sendConcurrency(),
              r -> {
                Thread t = new Thread(r, "sqs-send-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
    }
    return sender;
  }

  /** Stops the send threads (if any were started). */
  synchronized void close() {
    if (sender != null) {
      sender.shutdown();
      sender = null;
    }
  }

  private void sendBatch(List<String> batch, int delaySeconds) {
    Map<String, String> pending = new LinkedHashMap<>();
    for (int i = 0; i < batch.size(); i++) {
      pending.put(Integer.toString(i), batch.get(i));
    }
    call(
        "SendMessageBatch",
        () -> {
          List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
          pending.forEach(
              (id, body) ->
                  entries.add(
                      SendMessageBatchRequestEntry.builder()
                          .id(id)
                          .messageBody(body)
                          .delaySeconds(delaySeconds)
                          .build()));
          SendMessageBatchResponse response =
              client.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries)).join();
          response.successful().forEach(ok -> pending.remove(ok.id()));
          checkFailed("SendMessageBatch", response.failed(), pending.size());
          return null;
        });
  }

  /**
   * Deletes messages by receipt handle in batches of ten; entries the server failed are retried.
   * Invalid receipt handles are skipped (the message is someone else's now, or already gone).
   *
   * @return how many handles SQS reported invalid
   */
  int deleteAll(List<String> handles) {
    int invalid = 0;
    for (int from = 0; from < handles.size(); from += MAX_BATCH) {
      List<String> batch = handles.subList(from, Math.min(handles.size(), from + MAX_BATCH));
      Map<String, String> pending = new LinkedHashMap<>();
      for (int i = 0; i < batch.size(); i++) {
        pending.put(Integer.toString(i), batch.get(i));
      }
      int[] invalidInBatch = {0};
      call(
          "DeleteMessageBatch",
          () -> {
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
            pending.forEach(
                (id, handle) ->
                    entries.add(
                        DeleteMessageBatchRequestEntry.builder()
                            .id(id)
                            .receiptHandle(handle)
                            .build()));
            DeleteMessageBatchResponse response =
                client.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries)).join();
            response.successful().forEach(ok -> pending.remove(ok.id()));
            List<BatchResultErrorEntry> failed = new ArrayList<>();
            for (BatchResultErrorEntry error : response.failed()) {
              if (isInvalidHandle(error.code(), error.message())) {
                pending.remove(error.id());
                invalidInBatch[0]++;
              } else {
                failed.add(error);
              }
            }
            checkFailed("DeleteMessageBatch", failed, pending.size());
            return null;
          });
      invalid += invalidInBatch[0];
    }
    return invalid;
  }

  private static void checkFailed(String what, List<BatchResultErrorEntry> failed, int pending) {
    if (failed.isEmpty()) {
      if (pending > 0) {
        throw new BatchEntriesFailed(what + ": " + pending + " entries got no result");
      }
      return;
    }
    StringBuilder reasons = new StringBuilder();
    boolean senderFault = false;
    for (BatchResultErrorEntry error : failed) {
      senderFault |= Boolean.TRUE.equals(error.senderFault());
      if (reasons.length() < 500) {
        reasons.append(' ').append(error.code()).append(": ").append(error.message()).append(';');
      }
    }
    String message = what + ": " + failed.size() + " entries failed:" + reasons;
    if (senderFault) {
      throw new QueueException(message);
    }
    throw new BatchEntriesFailed(message);
  }

  /**
   * Receives up to {@code max} messages: calls of at most ten, only the first one waiting (at most
   * 20 s), stopping at the first call that returns nothing.
   *
   * @param visibility the lease time, or null for the queue's default visibility timeout
   */
  List<Message> receive(int max, Duration wait, Duration visibility) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1, was " + max);
    }
    if (wait == null || wait.isNegative()) {
      throw new IllegalArgumentException("wait must be >= 0, was " + wait);
    }
    int waitSeconds = (int) Math.min(MAX_WAIT_SECONDS, wait.toSeconds());
    List<Message> received = new ArrayList<>();
    boolean first = true;
    while (received.size() < max) {
      int want = Math.min(MAX_BATCH, max - received.size());
      int waitNow = first ? waitSeconds : 0;
      first = false;
      ReceiveMessageRequest.Builder request =
          ReceiveMessageRequest.builder()
              .queueUrl(queueUrl)
              .maxNumberOfMessages(want)
              .waitTimeSeconds(waitNow)
              .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
      if (visibility != null) {
        request.visibilityTimeout(visibilitySeconds(visibility));
      }
      ReceiveMessageRequest built = request.build();
      List<Message> messages =
          call("ReceiveMessage", () -> client.receiveMessage(built).join()).messages();
      if (messages.isEmpty()) {
        break;
      }
      // never more than asked for, even if a server misbehaves
      received.addAll(messages.subList(0, Math.min(messages.size(), want)));
    }
    return received;
  }

  /** A lease time as an SQS visibility timeout: whole seconds, rounded up, 0 to 12 hours. */
  static int visibilitySeconds(Duration leaseTime) {
    if (leaseTime == null || leaseTime.isNegative()) {
      throw new IllegalArgumentException("leaseTime must be >= 0, was " + leaseTime);
    }
    long seconds = leaseTime.getNano() == 0 ? leaseTime.toSeconds() : leaseTime.toSeconds() + 1;
    if (seconds > 43_200) {
      throw new IllegalArgumentException(
          "leaseTime must be at most 12 hours (SQS), was " + leaseTime);
    }
    return (int) seconds;
  }

  static int receiveCount(Message message) {
    String count = message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
    if (count == null) {
      count = message.attributesAsStrings().get("ApproximateReceiveCount");
    }
    try {
      return count == null ? 1 : Integer.parseInt(count);
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  /** True if SQS says a receipt handle no longer names an in-flight message of ours. */
  static boolean isLeaseLost(Throwable error) {
    Throwable t = TransientErrors.unwrap(error);
    if (t instanceof ReceiptHandleIsInvalidException || t instanceof MessageNotInflightException) {
      return true;
    }
    if (t instanceof AwsServiceException service && service.awsErrorDetails() != null) {
      return isInvalidHandle(
          service.awsErrorDetails().errorCode(), service.awsErrorDetails().errorMessage());
    }
    return false;
  }

  private static boolean isInvalidHandle(String code, String message) {
    String c = code == null ? "" : code;
    String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
    if (c.endsWith("ReceiptHandleIsInvalid") || c.endsWith("MessageNotInflight")) {
      return true;
    }
    return c.endsWith("InvalidParameterValue")
        && (m.contains("receipt handle") || m.contains("receipthandle"));
  }

  static RuntimeException translate(String what, RuntimeException e) {
    if (e instanceof QueueException || e instanceof IllegalArgumentException) {
      return e;
    }
    Throwable t = TransientErrors.unwrap(e);
    if (isLeaseLost(t)) {
      return new LeaseLostException(what + ": the lease is no longer held: " + t.getMessage(), t);
    }
    if (t instanceof CallNotPermittedException) {
      return new QueueException(
          what + ": SQS calls are suspended after repeated failures (circuit open)", t);
    }
    return new QueueException(what + " failed: " + t.getMessage(), t);
  }

  /** Some entries of a batch failed on the server side: resend them. */
  static final class BatchEntriesFailed extends RuntimeException
      implements TransientErrors.Retryable {
    BatchEntriesFailed(String message) {
      super(message);
    }
  }
}
