package dev.spotbatch.event;

import dev.spotbatch.model.NoticeKind;
import java.time.Instant;

/**
 * What a worker did with its leases after a termination notice.
 *
 * @param noticeId the notice's id (duplicates of one notice are ignored)
 * @param noticeTime when the provider issued the notice (as it reports it; may be null for SIGTERM)
 * @param detectedAt when the worker saw the notice
 * @param deadline when the machine goes away (the drain must be over before)
 * @param unstartedReturnedAt when every lease that had not started was back on the queue (null if
 *     there were none)
 * @param handedBack leases given back unstarted, as continuations
 * @param finished running items finished before the deadline
 * @param checkpointed running items committed up to a record boundary, the rest re-queued
 * @param abandoned items that could be neither finished nor checkpointed (left to their lease)
 * @param stoppedAt when the worker finished draining (null while draining)
 */
public record DrainReport(
    NoticeKind kind,
    String noticeId,
    Instant noticeTime,
    Instant detectedAt,
    Instant deadline,
    Instant unstartedReturnedAt,
    int handedBack,
    int finished,
    int checkpointed,
    int abandoned,
    Instant stoppedAt) {}
