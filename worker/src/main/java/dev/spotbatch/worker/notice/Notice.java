package dev.spotbatch.worker.notice;

import dev.spotbatch.model.NoticeKind;
import java.time.Instant;
import java.util.Objects;

/**
 * A termination notice (or a softer recommendation) as one source saw it.
 *
 * @param id stable for one notice across polls, so duplicates are ignored (e.g. {@code
 *     aws-spot:2026-11-29T10:02:00Z}, an Azure {@code EventId})
 * @param noticeTime when the provider issued it, or null if the provider does not say
 * @param deadline when the machine goes away; null for advisory notices (rebalance)
 * @param detectedAt when this worker saw it
 */
public record Notice(
    String id,
    NoticeKind kind,
    Instant noticeTime,
    Instant deadline,
    Instant detectedAt,
    String detail) {
  public Notice {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(detectedAt, "detectedAt");
  }
}
