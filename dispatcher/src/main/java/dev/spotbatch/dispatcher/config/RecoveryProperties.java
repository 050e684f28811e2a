package dev.spotbatch.dispatcher.config;

import dev.spotbatch.dispatcher.recovery.RecoverySettings;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code spotbatch.recovery.*}: the reconciler and the dead-letter sweeper.
 *
 * @param lease the workers' lease time (keep it equal to {@code spotbatch.worker.lease-time})
 * @param margin added to the lease before a silent item counts as lost
 * @param interval how often recovery runs
 * @param maxResendsPerRound the most items one round re-sends
 * @param deadLetterBatch dead letters per receive (1 to 10)
 * @param deadLetterQueue the work queue's dead-letter queue (SQS); empty means {@code <work>-dlq}
 */
@ConfigurationProperties("spotbatch.recovery")
public record RecoveryProperties(
    @DefaultValue("60s") Duration lease,
    @DefaultValue("30s") Duration margin,
    @DefaultValue("15s") Duration interval,
    @DefaultValue("1000") int maxResendsPerRound,
    @DefaultValue("10") int deadLetterBatch,
    String deadLetterQueue) {

  /** The validated settings (a bad value stops the start with a message naming it). */
  public RecoverySettings settings() {
    return new RecoverySettings(lease, margin, interval, maxResendsPerRound, deadLetterBatch);
  }

  /** The SQS dead-letter queue's name for a work queue. */
  public String deadLetterQueueFor(String workQueue) {
    return deadLetterQueue == null || deadLetterQueue.isBlank()
        ? workQueue + "-dlq"
        : deadLetterQueue;
  }
}
