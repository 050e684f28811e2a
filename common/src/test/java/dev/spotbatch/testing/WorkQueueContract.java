package dev.spotbatch.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotbatch.model.ByteRange;
import dev.spotbatch.model.WorkItem;
import dev.spotbatch.queue.Lease;
import dev.spotbatch.queue.LeaseLostException;
import dev.spotbatch.queue.QueueStats;
import dev.spotbatch.queue.WorkSource;
import dev.spotbatch.queue.WorkSubmitter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every work queue adapter must show, through both its ends: the dispatcher's {@link
 * WorkSubmitter} (send, stats) and the worker's {@link WorkSource} (lease, extend, complete,
 * requeue, hand back, reject, stop leasing). A subclass provides a fresh queue (with its
 * dead-letter backstop) per test, and may override {@link #elapse(Duration)} to advance a fake
 * clock instead of waiting in real time. Leases last {@link #leaseTime()} (1 s by default), so the
 * suite runs in well under a minute against a real broker.
 *
 * <p>A subclass, e.g. for an in-memory queue on a fake clock:
 *
 * <pre>{@code
 * class InMemoryWorkQueueTest extends WorkQueueContract {
 *   private final MutableClock clock = ...;
 *
 *   protected QueueUnderTest newQueue(int maxReceiveCount) {
 *     InMemoryWorkQueue queue = new InMemoryWorkQueue(clock, maxReceiveCount);
 *     return new QueueUnderTest(queue, queue, () -> queue.deadLetters().size());
 *   }
 *
 *   protected void elapse(Duration time) {
 *     clock.advance(time);
 *   }
 * }
 * }</pre>
 *
 * <p>Some tests use real threads and real waits whatever the clock: a lease call must return an
 * item sent while it waits, and must not wait much longer than asked.
 */
public abstract class WorkQueueContract {

  /**
   * The two ends of the queue under test and a probe of its dead-letter queue. An adapter that
   * serves both roles is passed twice.
   *
   * @param submitter the dispatcher's end of a fresh, empty queue
   * @param source the worker's end of the same queue
   * @param deadLetters how many messages the queue's dead-letter queue (or archive) holds now
   */
  public record QueueUnderTest(
      WorkSubmitter submitter, WorkSource source, LongSupplier deadLetters) {}

  /** The redrive threshold the suite asks for. */
  protected static final int MAX_RECEIVE_COUNT = 2;

  protected WorkSubmitter submitter;
  protected WorkSource source;
  private QueueUnderTest underTest;

  /**
   * A fresh, empty queue whose dead-letter backstop moves a message away once it was received more
   * than {@code maxReceiveCount} times without being completed.
   */
  protected abstract QueueUnderTest newQueue(int maxReceiveCount) throws Exception;

  /** Lets {@code time} pass for the source. Real brokers: wait. Fake clocks: advance them. */
  protected void elapse(Duration time) throws InterruptedException {
    Thread.sleep(time.toMillis());
  }

  /** Lease time used by the suite. */
  protected Duration leaseTime() {
    return Duration.ofSeconds(1);
  }

  /**
   * The retry delay the suite requeues with (2 s). Long enough to watch the item wait; an adapter
   * whose delays come in tiers uses one of its tiers.
   */
  protected Duration retryDelay() {
    return Duration.ofSeconds(2);
  }

  /** Slack on top of a lease time or delay before the broker is expected to have acted on it. */
  protected Duration slack() {
    return Duration.ofMillis(700);
  }

  /**
   * How long a lease call may wait when the suite expects an item (returns as soon as one comes).
   */
  protected Duration patience() {
    return Duration.ofSeconds(3);
  }

  /**
   * How long a lease call waits when the suite expects nothing (1 s). A queue on a fake clock may
   * shorten it.
   */
  protected Duration quietWait() {
    return Duration.ofSeconds(1);
  }

  @BeforeEach
  void createQueue() throws Exception {
    underTest = newQueue(MAX_RECEIVE_COUNT);
    submitter = underTest.submitter();
    source = underTest.source();
  }

  @AfterEach
  void closeQueue() {
    if (source != null) {
      source.close();
    }
    if (submitter != null && submitter != source) {
      submitter.close();
    }
  }

  @Test
  void roundTripsAnItemThroughSendAndLease() {
    WorkItem item = item(0);
    submitter.send(List.of(item));

    Lease lease = leaseOne(leaseTime());

    assertThat(lease.item()).isEqualTo(item);
    assertThat(lease.deliveries()).isEqualTo(1);
    assertThat(lease.handle()).isNotBlank();
    source.complete(lease);
  }

  @Test
  void neverLeasesMoreThanAskedFor() {
    List<WorkItem> items = items(15);
    submitter.send(items);

    // leases that outlast the loop: an expired one would come back and count twice
    Duration leaseTime = Duration.ofMinutes(5);
    List<Lease> three = source.lease(3, patience(), leaseTime);
    assertThat(three).hasSizeBetween(1, 3);

    List<Lease> all = new ArrayList<>(three);
    long until =
        System.nanoTime() + Math.max(TimeUnit.SECONDS.toNanos(10), 3 * patience().toNanos());
    while (all.size() < items.size() && System.nanoTime() < until) {
      int max = items.size() - all.size();
      List<Lease> more = source.lease(max, Duration.ofSeconds(1), leaseTime);
      assertThat(more.size()).isLessThanOrEqualTo(max);
      all.addAll(more);
    }
    assertThat(all.stream().map(l -> l.item().itemId()).collect(Collectors.toSet()))
        .containsExactlyInAnyOrderElementsOf(ids(items));
    assertThat(all).hasSize(items.size());
    all.forEach(source::complete);
  }

  @Test
  void waitsUpToTheWaitAndReturnsNothingFromAnEmptyQueue() {
    long start = System.nanoTime();
    List<Lease> leases = source.lease(5, Duration.ofSeconds(1), leaseTime());
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(leases).isEmpty();
    assertThat(took).isLessThan(Duration.ofSeconds(1).plus(patience()));
  }

  @Test
  void returnsAnItemThatArrivesDuringTheWait() throws Exception {
    CompletableFuture<List<Lease>> waiting =
        CompletableFuture.supplyAsync(() -> source.lease(1, Duration.ofSeconds(5), leaseTime()));
    Thread.sleep(300);
    WorkItem item = item(0);
    submitter.send(List.of(item));

    List<Lease> leases = waiting.get(10, TimeUnit.SECONDS);
    if (leases.isEmpty()) {
      // a broker may answer a long poll that began before the send only at its end; still fine
      leases = source.lease(1, patience(), leaseTime());
    }
    assertThat(leases).extracting(Lease::item).containsExactly(item);
  }

  @Test
  void redeliversALeaseThatWasNotExtended() throws Exception {
    submitter.send(List.of(item(0)));
    Lease first = leaseOne(leaseTime());

    elapse(leaseTime().plus(slack()));
    Lease second = leaseOne(Duration.ofSeconds(30));

    assertThat(second.item()).isEqualTo(first.item());
    assertThat(second.deliveries()).isEqualTo(first.deliveries() + 1);
    source.complete(second);
  }

  @Test
  void keepsAnExtendedLeaseInvisiblePastItsOriginalDeadline() throws Exception {
    submitter.send(List.of(item(0)));
    Lease lease = leaseOne(leaseTime());

    Lease extended = source.extend(lease, leaseTime().multipliedBy(4));
    assertThat(extended.deadline()).isAfter(lease.deadline());
    assertThat(extended.item()).isEqualTo(lease.item());

    elapse(leaseTime().plus(slack()));
    assertThat(source.lease(1, Duration.ZERO, leaseTime())).isEmpty();
    source.complete(extended);
  }

  @Test
  void refusesToExtendALeaseThatExpiredAndWasRedelivered() throws Exception {
    submitter.send(List.of(item(0)));
    Lease stale = leaseOne(leaseTime());
    elapse(leaseTime().plus(slack()));
    Lease current = leaseOne(Duration.ofSeconds(30));

    assertThatThrownBy(() -> source.extend(stale, Duration.ofSeconds(30)))
        .isInstanceOf(LeaseLostException.class);

    // the current holder is unaffected
    Lease extended = source.extend(current, Duration.ofSeconds(30));
    source.complete(extended);
  }

  @Test
  void removesACompletedItemForGood() throws Exception {
    submitter.send(List.of(item(0)));
    Lease lease = leaseOne(leaseTime());

    source.complete(lease);
    elapse(leaseTime().plus(slack()));

    assertThat(source.lease(1, quietWait(), leaseTime())).isEmpty();
    awaitStats(QueueStats.of(0, 0, 0));
  }

  @Test
  void requeuePutsTheNextItemInPlaceOfTheOld() throws Exception {
    WorkItem item = item(0);
    submitter.send(List.of(item));
    Lease lease = leaseOne(leaseTime());

    WorkItem retry = item.afterFailure();
    source.requeue(lease, retry, Duration.ZERO);

    Lease next = leaseOne(Duration.ofSeconds(30));
    assertThat(next.item()).isEqualTo(retry);
    assertThat(next.item().attempts().failures()).isEqualTo(1);
    assertThat(next.deliveries()).isEqualTo(1);

    elapse(leaseTime().plus(slack()));
    assertThat(source.lease(10, quietWait(), leaseTime())).isEmpty();
    source.complete(next);
  }

  @Test
  void requeueCarriesAContinuation() {
    WorkItem item = item(0);
    submitter.send(List.of(item));
    Lease lease = leaseOne(leaseTime());

    WorkItem rest = item.continueFrom(40);
    source.requeue(lease, rest, Duration.ZERO);

    Lease next = leaseOne(Duration.ofSeconds(30));
    assertThat(next.item().range()).isEqualTo(new ByteRange(40, 100));
    assertThat(next.item().attempts().interruptions()).isEqualTo(1);
    source.complete(next);
  }

  @Test
  void requeueWithADelayKeepsTheItemInvisibleForTheDelay() throws Exception {
    WorkItem item = item(0);
    submitter.send(List.of(item));
    Lease lease = leaseOne(leaseTime());
    Duration delay = retryDelay();

    source.requeue(lease, item.afterFailure(), delay);

    assertThat(source.lease(1, Duration.ZERO, leaseTime())).isEmpty();
    awaitStats(QueueStats.of(0, 0, 1));
    elapse(delay);
    Lease next = leaseOne(Duration.ofSeconds(30));
    assertThat(next.item()).isEqualTo(item.afterFailure());
    source.complete(next);
  }

  @Test
  void movesAMessageReceivedTooOftenToTheDeadLetterQueue() throws Exception {
    submitter.send(List.of(item(0)));
    for (int i = 1; i <= MAX_RECEIVE_COUNT; i++) {
      Lease lease = leaseOne(leaseTime());
      assertThat(lease.deliveries()).isEqualTo(i);
      elapse(leaseTime().plus(slack()));
    }

    assertThat(source.lease(1, quietWait(), leaseTime())).isEmpty();
    await(
        "the message to reach the dead-letter queue",
        () -> underTest.deadLetters().getAsLong() == 1);
  }

  @Test
  void countsVisibleInFlightAndDelayedItems() {
    submitter.send(items(3));
    awaitStats(QueueStats.of(3, 0, 0));

    Lease lease = leaseOne(Duration.ofSeconds(30));
    awaitStats(QueueStats.of(2, 1, 0));

    source.requeue(lease, lease.item().afterFailure(), Duration.ofSeconds(30));
    awaitStats(QueueStats.of(2, 0, 1));
  }

  @Test
  void handsBackAnUnstartedItemAtOnceAndNeverDeadLettersItForThat() throws Exception {
    WorkItem item = item(0);
    submitter.send(List.of(item));

    // more hand-backs than the redrive threshold allows deliveries: an interruption is not a loss
    for (int i = 0; i < MAX_RECEIVE_COUNT + 2; i++) {
      Lease lease = leaseOne(Duration.ofSeconds(30));
      assertThat(lease.item().itemId()).isEqualTo(item.itemId());
      assertThat(lease.item().range()).isEqualTo(item.range());
      assertThat(lease.item().attempts().failures()).isZero();
      source.handBack(lease);
    }

    Lease last = leaseOne(Duration.ofSeconds(30));
    assertThat(last.item().itemId()).isEqualTo(item.itemId());
    source.complete(last);
    assertThat(underTest.deadLetters().getAsLong()).isZero();
  }

  @Test
  void rejectEndsALeaseForGood() throws Exception {
    submitter.send(List.of(item(0)));
    Lease lease = leaseOne(leaseTime());

    source.reject(lease);
    elapse(leaseTime().plus(slack()));

    assertThat(source.lease(1, quietWait(), leaseTime())).isEmpty();
    assertThat(underTest.deadLetters().getAsLong()).isZero();
  }

  @Test
  void refusesToCompleteALeaseThatExpiredAndWasRedelivered() throws Exception {
    submitter.send(List.of(item(0)));
    Lease stale = leaseOne(leaseTime());
    elapse(leaseTime().plus(slack()));
    Lease current = leaseOne(Duration.ofSeconds(30));

    assertThatThrownBy(() -> source.complete(stale)).isInstanceOf(LeaseLostException.class);

    source.complete(current);
    elapse(leaseTime().plus(slack()));
    assertThat(source.lease(1, quietWait(), leaseTime())).isEmpty();
  }

  @Test
  void leasesAgainAfterStopLeasingWithoutLosingAnything() {
    List<WorkItem> items = items(4);
    submitter.send(items);
    Lease first = leaseOne(Duration.ofSeconds(30));

    source.stopLeasing();

    // a record caught in flight by a consumer that stopped may come back only when its broker lock
    // runs out: allow for that
    List<Lease> all = new ArrayList<>(List.of(first));
    long until =
        System.nanoTime() + Math.max(TimeUnit.SECONDS.toNanos(15), 3 * patience().toNanos());
    while (all.size() < items.size() && System.nanoTime() < until) {
      all.addAll(
          source.lease(items.size() - all.size(), Duration.ofSeconds(1), Duration.ofSeconds(30)));
    }
    assertThat(all.stream().map(l -> l.item().itemId()).collect(Collectors.toSet()))
        .containsExactlyInAnyOrderElementsOf(ids(items));
    all.forEach(source::complete);
  }

  @Test
  void reportsItsMaximumDelay() {
    assertThat(source.maxDelay()).isPositive();
  }

  // --- helpers -------------------------------------------------------------------------------

  /** Leases exactly one item, failing if none comes within {@link #patience()}. */
  protected Lease leaseOne(Duration leaseTime) {
    List<Lease> leases = source.lease(1, patience(), leaseTime);
    assertThat(leases).as("one lease within %s", patience()).hasSize(1);
    return leases.get(0);
  }

  /**
   * Whether the broker tells waiting items from leased ones. Kafka share groups do not: their
   * adapter must then report in flight as unknown, and the suite checks waiting + leased together.
   */
  protected boolean separatesInFlight() {
    return true;
  }

  /** Polls until the queue reports {@code expected} (stats are approximate on real brokers). */
  protected void awaitStats(QueueStats expected) {
    QueueStats want =
        separatesInFlight()
            ? expected
            : QueueStats.withoutInFlight(expected.queued(), expected.delayed());
    QueueStats[] last = {null};
    await(
        () -> "stats " + want + " (last seen " + last[0] + ")",
        () -> {
          last[0] = submitter.stats();
          return last[0].equals(want);
        });
    assertThat(last[0]).isEqualTo(want);
  }

  /** Polls {@code condition} every 100 ms for up to 10 s. */
  protected static void await(String what, BooleanSupplier condition) {
    await(() -> what, condition);
  }

  /** Polls {@code condition} every 100 ms for up to 10 s; {@code what} describes it on failure. */
  protected static void await(java.util.function.Supplier<String> what, BooleanSupplier condition) {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > until) {
        throw new AssertionError("timed out waiting for " + what.get());
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what.get(), e);
      }
    }
  }

  /** A work item for tests, distinct per index. */
  public static WorkItem item(int index) {
    return new WorkItem(
        "job-1",
        "item-" + index,
        index,
        "all-minilm-l6-v2",
        "s3://bucket/input/docs.jsonl",
        "docs.jsonl",
        new ByteRange(0, 100),
        null,
        "text",
        "id",
        "s3://bucket/output/",
        null,
        3);
  }

  protected static List<WorkItem> items(int count) {
    return IntStream.range(0, count).mapToObj(WorkQueueContract::item).collect(Collectors.toList());
  }

  private static Set<String> ids(List<WorkItem> items) {
    Set<String> ids = new HashSet<>();
    items.forEach(i -> ids.add(i.itemId()));
    return ids;
  }
}
